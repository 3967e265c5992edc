package com.volcstudio.connection;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.volcstudio.volcengine.ArkClient;
import com.volcstudio.volcengine.ArkConnection;
import com.volcstudio.volcengine.QuotaGovernor;
import com.volcstudio.volcengine.UpstreamBreakers;
import com.volcstudio.volcengine.UpstreamError;
import com.volcstudio.volcengine.VisualClient;
import com.volcstudio.volcengine.VisualConnection;
import com.volcstudio.volcengine.VolcApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Tries keys with a real call that costs nothing. Visual API: a result query for a task that does
 * not exist ({@code CVSync2AsyncGetResult}, task id 0) goes through the gateway's signature and key
 * checks and is answered {@code not_found} when they pass (docs/volcengine/PROTOCOL.md §3.1, §4.2).
 * Ark: an image request for a model that does not exist is refused with 401 for a bad key and with
 * 404 {@code InvalidEndpointOrModel.NotFound} once the key is accepted (docs/volcengine/PROTOCOL.md
 * §6.5); nothing is generated. The answer for the connections in use is cached for a minute, so
 * {@code /api/v1/system/info} can report it on every call without calling upstream each time.
 */
public final class ConnectionCheck {

  /** An async req_key of the catalog; any would do, the task id is what cannot exist. */
  static final String PROBE_REQ_KEY = "jimeng_t2i_v30";

  static final String PROBE_ARK_MODEL = "volc-image-studio-connection-test";
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final Duration CACHED_FOR = Duration.ofSeconds(60);

  /**
   * Ark codes that come after the key was accepted: only the made-up model (or the probe's body)
   * was refused.
   */
  private static final Set<String> ARK_KEY_ACCEPTED =
      Set.of(
          "InvalidEndpointOrModel",
          "InvalidEndpoint",
          "ModelNotOpen",
          "InvalidParameter",
          "MissingParameter");

  public record Message(String zh, String en) {}

  /** One check's outcome; {@code code} and {@code message} explain a failure. */
  public record Result(
      boolean ok, @Nullable String code, @Nullable Message message, long latencyMs) {}

  /**
   * What system/info reports: all configured providers answer, or the first that does not and why.
   */
  public record Status(
      boolean connected,
      @Nullable String provider,
      @Nullable String code,
      @Nullable Message message) {}

  private final VisualClient visual;
  private final ArkClient ark;
  private final UpstreamBreakers breakers;
  private final AsyncCache<Providers.Active, Status> cache =
      Caffeine.newBuilder().expireAfterWrite(CACHED_FOR).maximumSize(16).buildAsync();

  /** The same calls probe a provider the app has found unreachable ({@link UpstreamBreakers}). */
  public ConnectionCheck(
      VisualClient visual, ArkClient ark, Providers providers, UpstreamBreakers breakers) {
    this.visual = visual;
    this.ark = ark;
    this.breakers = breakers;
    breakers
        .visual()
        .probeWith(() -> Mono.justOrEmpty(providers.current().visual()).flatMap(this::visualCall));
    breakers
        .ark()
        .probeWith(
            () ->
                Mono.justOrEmpty(providers.current().ark())
                    .flatMap(this::arkCall)
                    // A refusal of the made-up model is an answer.
                    .onErrorResume(
                        e -> accepted(e, ARK_KEY_ACCEPTED) ? Mono.empty() : Mono.error(e)));
  }

  public Mono<Result> visual(VisualConnection connection) {
    return timed(visualCall(connection), Set.of());
  }

  public Mono<Result> ark(ArkConnection connection) {
    return timed(arkCall(connection), ARK_KEY_ACCEPTED);
  }

  private Mono<Void> visualCall(VisualConnection connection) {
    return visual.result(connection, PROBE_REQ_KEY, "0", Map.of()).then();
  }

  private Mono<Void> arkCall(ArkConnection connection) {
    return ark.generate(
            connection,
            Map.of(
                "model", PROBE_ARK_MODEL,
                "prompt", "connection test",
                "response_format", "b64_json"))
        .then();
  }

  /**
   * The cached status of these connections, checked now if not known (or older than a minute). The
   * check is shared by every caller meanwhile, so one that goes away does not cancel it for the
   * others (suppressCancel): a page reloaded during the check made the other page's request fail
   * with a CancellationException (auth.test, DemoModeTests).
   */
  public Mono<Status> status(Providers.Active active) {
    return Mono.fromFuture(() -> cache.get(active, (key, executor) -> check(key).toFuture()), true);
  }

  /**
   * Forgets every cached answer (the keys changed, or the user asked for a fresh check), and what
   * was concluded about an outage: it was another account's, or the user wants to try now.
   */
  public void forget() {
    cache.synchronous().invalidateAll();
    breakers.reset();
  }

  private Mono<Status> check(Providers.Active active) {
    List<Mono<Status>> checks = new ArrayList<>();
    active.visual().ifPresent(c -> checks.add(visual(c).map(r -> status("visual", r))));
    // In demo mode the emulator answers both; one call says whether it is up.
    if (active.mode() == StudioMode.LIVE) {
      active.ark().ifPresent(c -> checks.add(ark(c).map(r -> status("ark", r))));
    }
    if (checks.isEmpty()) {
      return Mono.just(
          new Status(
              false,
              null,
              "NOT_CONFIGURED",
              new Message("未配置任何服务密钥。", "No provider keys are configured.")));
    }
    return Mono.zip(
        checks,
        results -> {
          for (Object r : results) {
            if (!((Status) r).connected()) {
              return (Status) r;
            }
          }
          return new Status(true, null, null, null);
        });
  }

  private static Status status(String provider, Result result) {
    return result.ok()
        ? new Status(true, null, null, null)
        : new Status(false, provider, result.code(), result.message());
  }

  private static Mono<Result> timed(Mono<Void> call, Set<String> acceptedCodes) {
    return Mono.defer(
        () -> {
          long started = System.nanoTime();
          // A check goes out even while the provider is thought unreachable: it is how one finds
          // out.
          return call.timeout(TIMEOUT)
              .contextWrite(QuotaGovernor.bypassingBreaker())
              .then(Mono.fromSupplier(() -> new Result(true, null, null, elapsedMs(started))))
              .onErrorResume(e -> Mono.just(failure(e, acceptedCodes, elapsedMs(started))));
        });
  }

  /** A refusal that comes after the key was accepted. */
  private static boolean accepted(Throwable e, Set<String> acceptedCodes) {
    if (!(e instanceof VolcApiException api)) {
      return false;
    }
    String code = api.error().code();
    return acceptedCodes.contains(code.contains(".") ? code.substring(0, code.indexOf('.')) : code);
  }

  private static Result failure(Throwable e, Set<String> acceptedCodes, long latencyMs) {
    if (accepted(e, acceptedCodes)) {
      return new Result(true, null, null, latencyMs);
    }
    if (e instanceof VolcApiException api) {
      UpstreamError error = api.error();
      return new Result(
          false, error.code(), new Message(error.messageZh(), error.messageEn()), latencyMs);
    }
    if (e instanceof TimeoutException) {
      return new Result(
          false,
          "UPSTREAM_TIMEOUT",
          new Message(
              "连接超时：" + TIMEOUT.toSeconds() + " 秒内没有应答。",
              "No answer within " + TIMEOUT.toSeconds() + " s."),
          latencyMs);
    }
    return new Result(
        false,
        "INTERNAL",
        new Message(
            "检查连接时出错：" + e.getClass().getSimpleName(),
            "The connection check failed: " + e.getClass().getSimpleName()),
        latencyMs);
  }

  private static long elapsedMs(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
