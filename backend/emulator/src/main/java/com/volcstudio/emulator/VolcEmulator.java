package com.volcstudio.emulator;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * The emulated VolcEngine endpoints on one Reactor Netty server. Start it with {@link #start}; it
 * answers {@code POST /?Action=…&Version=…} like {@code visual.volcengineapi.com}, {@code POST
 * /api/v3/images/generations} like Ark, serves result links under {@code /_emulator/results/}, and
 * takes test instructions under {@code /_emulator/} ({@link ControlApi}).
 */
public final class VolcEmulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(VolcEmulator.class);

  private final DisposableServer server;
  private final EmulatorSettings settings;

  private final LoopResources loops;
  private final Routes routes;

  private VolcEmulator(
      DisposableServer server, LoopResources loops, Routes routes, EmulatorSettings settings) {
    this.server = server;
    this.loops = loops;
    this.routes = routes;
    this.settings = settings;
  }

  public static VolcEmulator start(EmulatorSettings settings) {
    return start(settings, Clock.systemUTC());
  }

  /**
   * With a clock of the test's choosing, which drives signatures, quotas, task status and link
   * expiry.
   */
  static VolcEmulator start(EmulatorSettings settings, Clock clock) {
    Routes routes = new Routes(settings, clock);
    // Its own event loops, not Reactor Netty's global ones: an app sharing this JVM disposes the
    // global
    // resources when it stops, which would take a standalone emulator down with it.
    LoopResources loops = LoopResources.create("volc-emulator", 2, true);
    DisposableServer server =
        HttpServer.create()
            .runOn(loops)
            .host(settings.host())
            .port(settings.port())
            .handle(routes::handle)
            .bindNow();
    log.info(
        "VolcEngine emulator listening on http://{}:{} (access key {})",
        settings.host(),
        server.port(),
        settings.accessKey());
    return new VolcEmulator(server, loops, routes, settings);
  }

  int port() {
    return server.port();
  }

  /** The base URL to configure as {@code VOLC_ENDPOINT}; Ark's is this plus {@code /api/v3}. */
  public URI endpoint() {
    return URI.create("http://" + settings.host() + ":" + port());
  }

  public EmulatorSettings settings() {
    return settings.withPort(port());
  }

  /** Blocks until the server is closed, for the standalone emulator. */
  void awaitShutdown() {
    server.onDispose().block();
  }

  @Override
  public void close() {
    server.disposeNow();
    // No quiet period: the server is closed, nothing more can arrive, and Netty's default two
    // seconds of waiting made every demo-mode shutdown (and every test context's) that much longer.
    loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(6));
    routes.renderer.close();
  }

  /** Sends each request to the part of the emulator its path names, and counts what it answered. */
  private static final class Routes {

    private final GatewaySignatureVerifier verifier;
    private final VisualService visual;
    private final ArkImages ark;
    private final ControlApi control;
    private final ResultStore results;
    private final QuotaGate quotas;
    private final FaultPlan faults;
    private final EmulatorStats stats;
    private final EmulatorSettings settings;
    private final ImageRenderer renderer;

    Routes(EmulatorSettings settings, Clock clock) {
      this.settings = settings;
      this.renderer = new ImageRenderer();
      LatencyModel latency = new LatencyModel(settings);
      this.verifier = new GatewaySignatureVerifier(settings, clock);
      this.results = new ResultStore(clock);
      this.quotas = new QuotaGate(settings.quotas(), clock);
      this.stats = new EmulatorStats();
      this.faults = new FaultPlan(settings.jitter().seed(), clock);
      this.visual = new VisualService(settings, clock, renderer, quotas, results, stats, latency);
      this.ark = new ArkImages(settings, clock, renderer, results, stats, latency);
      this.control = new ControlApi(faults, stats);
    }

    Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
      return request
          .receive()
          .aggregate()
          .asByteArray()
          .defaultIfEmpty(new byte[0])
          .map(
              body ->
                  new IncomingRequest(
                      request.method().name(), request.uri(), headersOf(request), body))
          .flatMap(this::answer)
          .flatMap(
              reply -> {
                if (reply.drop()) {
                  // The work is done; the client never hears of it (a lost response,
                  // docs/volcengine/PROTOCOL.md §7).
                  response.withConnection(Connection::dispose);
                  return Mono.<Void>empty();
                }
                if (reply.events() != null) {
                  // Each frame is flushed as it is made; an error in the frames ends the response
                  // without its last chunk, which a client sees as a connection closed midway.
                  return response
                      .status(HttpResponseStatus.valueOf(reply.status()))
                      .header(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                      .header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                      .sendString(reply.events(), StandardCharsets.UTF_8)
                      .then();
                }
                return response
                    .status(HttpResponseStatus.valueOf(reply.status()))
                    .header(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                    .sendByteArray(Mono.just(reply.body()))
                    .then();
              });
    }

    private Mono<Reply> answer(IncomingRequest in) {
      String path = in.rawPath();
      if (path.startsWith(ResultStore.PATH) && in.method().equals("GET")) {
        return Mono.just(results.get(path));
      }
      if (path.startsWith(ControlApi.PREFIX)) {
        return Mono.just(control.handle(in.method(), path, in.body()));
      }
      if (path.equals(ArkImages.PATH)) {
        return ark(in).doOnNext(reply -> stats.arkAnswered(reply.outcome()));
      }
      return visual(in).doOnNext(reply -> stats.answered(reply.outcome()));
    }

    private Mono<Reply> visual(IncomingRequest in) {
      Map<String, String> query = VisualService.plainQuery(in.rawQuery());
      String action = query.getOrDefault("Action", "");
      String version = query.getOrDefault("Version", "");
      stats.request(action);
      Optional<GatewayError> rejected = verifier.verify(in);
      if (rejected.isPresent()) {
        log.debug("gateway rejected {} {}: {}", action, version, rejected.get().code());
        return Mono.just(Envelopes.gateway(rejected.get(), action, version));
      }
      QuotaGate.Family family = VisualService.family(action, version);
      if (family == null) {
        return Mono.just(
            Envelopes.gateway(GatewayError.unknownAction(action, version), action, version));
      }
      Optional<FaultRule> fault = faults.next(action);
      if (fault.isPresent() && !fault.get().code().equals(FaultRule.DROP)) {
        String code = fault.get().code();
        Reply timedOut =
            Envelopes.gateway(
                GatewayError.injectable("InternalServiceTimeout").orElseThrow(), action, version);
        return withoutWork(
            fault.get(),
            timedOut,
            () ->
                GatewayError.injectable(code)
                    .map(error -> Envelopes.gateway(error, action, version))
                    .orElseGet(() -> Envelopes.service(ServiceError.injected(parseCode(code)))));
      }
      if (!quotas.admitRequest(family)) {
        return Mono.just(Envelopes.service(ServiceError.qpsLimit()));
      }
      Mono<Reply> reply = visual.dispatch(action, in.body(), baseOf(in));
      return fault.isPresent() ? reply.map(Reply::dropped) : reply;
    }

    private Mono<Reply> ark(IncomingRequest in) {
      stats.request(ArkImages.ACTION);
      if (!ark.authenticated(in)) {
        return Mono.just(ArkError.unauthenticated().reply());
      }
      if (!in.method().equals("POST")) {
        return Mono.just(ArkError.invalid("method", "use POST").reply());
      }
      Optional<FaultRule> fault = faults.next(ArkImages.ACTION);
      if (fault.isPresent() && fault.get().code().equals(FaultRule.CUT)) {
        // A streamed set cut after its first image; an answer that is not a stream is lost whole.
        return ark.generate(in.body(), baseOf(in))
            .map(
                reply -> reply.events() != null ? ArkImages.cutAfterFirst(reply) : reply.dropped());
      }
      if (fault.isPresent() && !fault.get().code().equals(FaultRule.DROP)) {
        String code = fault.get().code();
        return withoutWork(
            fault.get(), ArkError.fromCode("50500").reply(), () -> ArkError.fromCode(code).reply());
      }
      if (!quotas.admitRequest(QuotaGate.Family.ARK)) {
        return Mono.just(ArkError.rateLimited().reply());
      }
      Mono<Reply> reply = ark.generate(in.body(), baseOf(in));
      return fault.isPresent() ? reply.map(Reply::dropped) : reply;
    }

    /**
     * A fault answered before any work is done: an error reply, a timeout (nothing for the rule's
     * hold, then {@code timedOut}), or a malformed body (200 with a JSON document cut short, or a
     * proxy's HTML page).
     */
    private Mono<Reply> withoutWork(
        FaultRule rule, Reply timedOut, java.util.function.Supplier<Reply> error) {
      return switch (rule.code()) {
        case FaultRule.TIMEOUT ->
            Mono.delay(rule.hold())
                .thenReturn(
                    new Reply(
                        timedOut.status(),
                        timedOut.contentType(),
                        timedOut.body(),
                        FaultRule.TIMEOUT,
                        false));
        case FaultRule.MALFORMED ->
            Mono.just(
                faults.nextMalformedIsHtml()
                    ? new Reply(
                        200,
                        "text/html",
                        "<html><body><h1>Bad Gateway</h1></body></html>"
                            .getBytes(StandardCharsets.UTF_8),
                        FaultRule.MALFORMED,
                        false)
                    : new Reply(
                        200,
                        "application/json; charset=utf-8",
                        "{\"ResponseMetadata\":{\"RequestId\":\"2025"
                            .getBytes(StandardCharsets.UTF_8),
                        FaultRule.MALFORMED,
                        false));
        default -> Mono.just(error.get());
      };
    }

    /**
     * Result links point back at the host the client used, so they work through any address it
     * reached us by.
     */
    private URI baseOf(IncomingRequest in) {
      String host = in.header("Host").orElse(settings.host() + ":" + settings.port());
      return URI.create("http://" + host);
    }

    private static int parseCode(String code) {
      try {
        return Integer.parseInt(code);
      } catch (NumberFormatException e) {
        return 50500;
      }
    }

    private static List<Map.Entry<String, String>> headersOf(HttpServerRequest request) {
      List<Map.Entry<String, String>> headers = new ArrayList<>();
      request.requestHeaders().forEach(headers::add);
      return headers;
    }
  }
}
