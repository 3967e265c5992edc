package com.volcstudio.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.StudioApplication;
import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import com.volcstudio.volcengine.QuotaGovernor;
import com.volcstudio.volcengine.ResultLinks;
import com.volcstudio.volcengine.VisualClient;
import com.volcstudio.volcengine.VisualConnection;
import com.volcstudio.volcengine.VolcApiException;
import com.volcstudio.volcengine.VolcCredentials;
import com.volcstudio.volcengine.VolcSigner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code make bench}: 40 single-image tasks against an emulated account limited to QPS 2 and
 * concurrency 2 at 500 ms per image. The app's governed dispatch is compared with a naive one that
 * fires everything at once and retries on every quota error. Prints the figures; asserts only that
 * the governed run lost nothing.
 */
@Tag("bench")
class DispatchBenchmark {

  private static final int TASKS = 40;
  private static final int QPS = 2;
  private static final int CONCURRENCY = 2;
  private static final Duration LATENCY = Duration.ofMillis(500);
  private static final String AK = "AKLTbenchmark000000000000000001";
  private static final String SK = "YmVuY2htYXJrLXNlY3JldC1rZXk=";
  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Test
  void governedDispatchStaysInsideTheQuotaAndNearTheTheoreticalMinimum() throws Exception {
    EmulatorSettings.Quotas quotas =
        new EmulatorSettings.Quotas(QPS, QPS, 20, 10, QPS, CONCURRENCY);
    double minimum =
        Math.max(
            Math.ceil((double) TASKS / CONCURRENCY) * LATENCY.toMillis() / 1000.0,
            (TASKS - 1) / (double) QPS + LATENCY.toMillis() / 1000.0);
    try (VolcEmulator emulator =
        VolcEmulator.start(EmulatorSettings.loopback(0, AK, SK, LATENCY).withQuotas(quotas))) {
      WebClient control = WebClient.create(emulator.endpoint().toString());

      Result governed = governed(emulator, control);
      Result naive = naive(emulator, control);

      System.out.printf(
          "%n=== dispatch benchmark: %d single-image tasks, emulator QPS %d, concurrency %d, %d ms per image ===%n",
          TASKS, QPS, CONCURRENCY, LATENCY.toMillis());
      System.out.printf("theoretical minimum makespan: %.2f s%n", minimum);
      for (Result r : List.of(governed, naive)) {
        System.out.printf(
            "%-8s makespan %6.2f s  ratio %.3f  completed %2d  failed %2d  50429 %4d  50430 %4d%n",
            r.name(),
            r.seconds(),
            r.seconds() / minimum,
            r.completed(),
            r.failed(),
            r.qpsErrors(),
            r.concurrencyErrors());
      }
      assertThat(governed.completed()).isEqualTo(TASKS);
      assertThat(governed.failed()).isZero();
    }
  }

  /**
   * 20 Seedream 4.0 tasks on an account whose concurrency (ARK_CONCURRENCY 2) is the bound, at 1.5
   * s per image: the floor is ten rounds of 1.5 s, reached when each next call starts as soon as
   * one returns rather than after its image is stored.
   */
  @Test
  void concurrencyBoundAccountStartsTheNextCallAsSoonAsOneReturns() throws Exception {
    int tasks = 20;
    int concurrency = 2;
    Duration latency = Duration.ofMillis(1500);
    String arkKey = "ark-benchmark-key-0000000000000001";
    double floor = Math.ceil((double) tasks / concurrency) * latency.toMillis() / 1000.0;
    try (VolcEmulator emulator =
        VolcEmulator.start(EmulatorSettings.loopback(0, AK, SK, latency).withArkApiKey(arkKey))) {
      WebClient control = WebClient.create(emulator.endpoint().toString());
      System.out.printf(
          "%n=== concurrency-bound dispatch: %d Seedream 4.0 tasks, ARK_CONCURRENCY %d, %d ms per image, floor %.2f s (goal <= 1.03) ===%n",
          tasks, concurrency, latency.toMillis(), floor);
      // MAX_CONCURRENT_TASKS equal to the account's concurrency (the defaults), then one above it:
      // the extra task waits at the governor with its request ready.
      for (int slots : new int[] {concurrency, concurrency + 1}) {
        Result result =
            run(
                "ark",
                emulator,
                control,
                tasks,
                i ->
                    Map.of(
                        "prompt",
                        "bench " + i,
                        "model",
                        "seedream_4.0",
                        "width",
                        1280,
                        "height",
                        720),
                "ARK_ENDPOINT=" + emulator.endpoint() + "/api/v3",
                "ARK_API_KEY=" + arkKey,
                "ARK_CONCURRENCY=" + concurrency,
                "MAX_CONCURRENT_TASKS=" + slots);
        System.out.printf(
            "MAX_CONCURRENT_TASKS %d: makespan %6.2f s  ratio %.3f  completed %2d  failed %2d%n",
            slots, result.seconds(), result.seconds() / floor, result.completed(), result.failed());
        assertThat(result.completed()).isEqualTo(tasks);
      }
    }
  }

  /** The real app in live mode against the emulator, with the account's figures as its settings. */
  private Result governed(VolcEmulator emulator, WebClient control) throws InterruptedException {
    return run(
        "governed",
        emulator,
        control,
        TASKS,
        i ->
            Map.of(
                "prompt",
                "bench " + i,
                "model",
                "general_v2.0_pro",
                "width",
                512,
                "height",
                512,
                "seed",
                i),
        // Environment-style names: application.yml maps them, and they win over nothing else set
        // here.
        "VOLC_ENDPOINT=" + emulator.endpoint(),
        "VOLC_ACCESS_KEY=" + AK,
        "VOLC_SECRET_KEY=" + SK,
        "VOLC_QPS=" + QPS,
        "MAX_CONCURRENT_TASKS=" + CONCURRENCY,
        "VOLC_MAX_RETRIES=10");
  }

  /**
   * {@code tasks} tasks submitted at once to the real app, whose settings are {@code settings}; the
   * makespan runs from the first submit to the last completion.
   */
  private Result run(
      String name,
      VolcEmulator emulator,
      WebClient control,
      int tasks,
      IntFunction<Map<String, Object>> body,
      String... settings)
      throws InterruptedException {
    control.delete().uri("/_emulator/stats").retrieve().toBodilessEntity().block();
    Path dataDir = Path.of("target/bench-data/dispatch-" + System.nanoTime());
    List<String> properties = new ArrayList<>(List.of(settings));
    properties.addAll(List.of("DATA_DIR=" + dataDir, "APP_PORT=0", "APP_LOG_LEVEL=WARN"));
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(StudioApplication.class)
            .properties(properties.toArray(String[]::new))
            .run()) {
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      WebClient http =
          WebClient.builder()
              .baseUrl("http://127.0.0.1:" + port)
              .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
              .build();
      // One refused submit first, so that the clock does not start on the first request's warm-up
      // (class loading and JIT of the submit path took about a second).
      http.post()
          .uri("/api/v1/generate")
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(Map.of("prompt", "warm-up"))
          .exchangeToMono(response -> response.releaseBody())
          .block();
      Instant started = Instant.now();
      for (int i = 0; i < tasks; i++) {
        http.post()
            .uri("/api/v1/generate")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body.apply(i))
            .retrieve()
            .bodyToMono(JSON)
            .block();
      }
      List<Map<String, Object>> done;
      // Waiting is cheap (one count a second); the finished list is read once at the end.
      while (total(http.get().uri("/api/v1/history?limit=1").retrieve().bodyToMono(JSON).block())
          < tasks) {
        Thread.sleep(1000);
      }
      done = items(http.get().uri("/api/v1/history?limit=100").retrieve().bodyToMono(JSON).block());
      if (System.getenv("BENCH_VERBOSE") != null) {
        done.stream()
            .sorted(
                (a, b) -> ((String) a.get("started_at")).compareTo((String) b.get("started_at")))
            .forEach(
                t ->
                    System.out.printf(
                        "  start %6d ms  run %5d ms%n",
                        Duration.between(started, Instant.parse((String) t.get("started_at")))
                            .toMillis(),
                        Duration.between(
                                Instant.parse((String) t.get("started_at")),
                                Instant.parse((String) t.get("completed_at")))
                            .toMillis()));
      }
      Instant last =
          done.stream()
              .map(t -> Instant.parse((String) t.get("completed_at")))
              .max(Instant::compareTo)
              .orElseThrow();
      int completed = (int) done.stream().filter(t -> "completed".equals(t.get("status"))).count();
      Map<String, Object> stats =
          control.get().uri("/_emulator/stats").retrieve().bodyToMono(JSON).block();
      return new Result(
          name,
          Duration.between(started, last).toMillis() / 1000.0,
          completed,
          tasks - completed,
          answers(stats, "50429"),
          answers(stats, "50430"));
    }
  }

  /**
   * Everything at once, no governor; each call retried 50 ms after any quota error, up to 400
   * times.
   */
  private Result naive(VolcEmulator emulator, WebClient control) {
    control.delete().uri("/_emulator/stats").retrieve().toBodilessEntity().block();
    VisualClient client =
        new VisualClient(
            WebClient.create(),
            VolcSigner.visual("cn-north-1", Clock.systemUTC()),
            JsonMapper.builder().build(),
            new QuotaGovernor(100_000, 100_000, 0, Duration.ofMillis(1)),
            ResultLinks.defaults());
    VisualConnection connection =
        new VisualConnection(emulator.endpoint(), new VolcCredentials(AK, SK));
    AtomicInteger failed = new AtomicInteger();
    Instant started = Instant.now();
    List<Long> ends =
        Flux.range(0, TASKS)
            .flatMap(
                i ->
                    client
                        .cvProcess(connection, body(i))
                        .retryWhen(
                            reactor.util.retry.Retry.fixedDelay(400, Duration.ofMillis(50))
                                .filter(
                                    e -> e instanceof VolcApiException v && v.error().retryable()))
                        .map(images -> System.nanoTime())
                        .onErrorResume(
                            e -> {
                              failed.incrementAndGet();
                              return Mono.empty();
                            }),
                TASKS)
            .collectList()
            .block(Duration.ofMinutes(5));
    double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
    Map<String, Object> stats =
        control.get().uri("/_emulator/stats").retrieve().bodyToMono(JSON).block();
    return new Result(
        "naive",
        seconds,
        ends == null ? 0 : ends.size(),
        failed.get(),
        answers(stats, "50429"),
        answers(stats, "50430"));
  }

  private static Map<String, Object> body(int i) {
    return Map.of(
        "req_key",
        "high_aes_general_v20_L",
        "model_version",
        "general_v2.0_L",
        "prompt",
        "naive " + i,
        "width",
        512,
        "height",
        512,
        "seed",
        i);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(Map<String, Object> page) {
    return new ArrayList<>((List<Map<String, Object>>) page.get("items"));
  }

  private static long total(Map<String, Object> page) {
    return ((Number) page.get("total")).longValue();
  }

  @SuppressWarnings("unchecked")
  private static int answers(Map<String, Object> stats, String code) {
    Object n = ((Map<String, Object>) stats.getOrDefault("answers", Map.of())).get(code);
    return n == null ? 0 : ((Number) n).intValue();
  }

  record Result(
      String name,
      double seconds,
      int completed,
      int failed,
      int qpsErrors,
      int concurrencyErrors) {}
}
