package com.volcstudio.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.StudioApplication;
import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * One provider account, two replicas (issue 18): two studios in live mode against one emulated
 * VolcEngine account of QPS 2 and concurrency 2, each set to that account's limits. With REDIS_URL
 * (a real redis-server on loopback) they share them, and the account answers no quota error (at
 * most a stray one on a machine under load); each on its own, they spend twice the account's rate,
 * which the emulator refuses (the control run that shows this test can fail).
 */
class SharedGovernorTests {

  private static final int TASKS_PER_REPLICA = 8;
  private static final String AK = "AKLTsharedgovernor0000000000001";
  private static final String SK = "c2hhcmVkLWdvdmVybm9yLXNlY3JldA==";
  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  private record Answers(int qps, int concurrency) {}

  @Test
  void twoReplicasSharingRedisStayInsideTheAccountsQuotaAloneTheyDoNot() throws Exception {
    EmulatorSettings.Quotas quotas = new EmulatorSettings.Quotas(2, 2, 20, 10, 2, 2);
    try (VolcEmulator emulator =
            VolcEmulator.start(
                EmulatorSettings.loopback(0, AK, SK, Duration.ofMillis(400)).withQuotas(quotas));
        RedisServer redis = RedisServer.start()) {
      WebClient control = WebClient.create(emulator.endpoint().toString());

      Answers shared = run(emulator, control, "REDIS_URL=" + redis.url());
      // None on a quiet machine (and in make bench). Under the whole suite's load on two cores a
      // call can leave more than the margin later than its turn: one stray 50429 was seen there
      // (retried, and not billed), against a dozen and more for replicas each on their own.
      assertThat(shared.qps() + shared.concurrency()).isLessThanOrEqualTo(1);

      Answers alone = run(emulator, control, "REDIS_URL=");
      System.out.printf(
          "shared governor: 2 replicas x %d tasks, account QPS 2 / concurrency 2: with Redis %s,"
              + " alone %s%n",
          TASKS_PER_REPLICA, shared, alone);
      assertThat(alone.qps() + alone.concurrency()).isGreaterThanOrEqualTo(5);
    }
  }

  /** RATE_LIMIT_PER_MINUTE counts a client once across replicas sharing Redis. */
  @Test
  void aClientsSubmitsAreCountedOnceAcrossReplicas() throws Exception {
    try (VolcEmulator emulator =
            VolcEmulator.start(EmulatorSettings.loopback(0, AK, SK, Duration.ofMillis(50)));
        RedisServer redis = RedisServer.start();
        ConfigurableApplicationContext a =
            replica(emulator, "REDIS_URL=" + redis.url(), "RATE_LIMIT_PER_MINUTE=3");
        ConfigurableApplicationContext b =
            replica(emulator, "REDIS_URL=" + redis.url(), "RATE_LIMIT_PER_MINUTE=3")) {
      List<Integer> statuses = new ArrayList<>();
      for (ConfigurableApplicationContext replica : List.of(a, b, a, b)) {
        // An empty body: refused with 400 by the controller, but counted first (every submit is).
        statuses.add(
            client(replica)
                .post()
                .uri("/api/v1/generate")
                .bodyValue(Map.of())
                .exchangeToMono(response -> Mono.just(response.statusCode().value()))
                .block());
      }
      assertThat(statuses).containsExactly(400, 400, 400, 429);
    }
  }

  /** Both replicas at once, each with TASKS_PER_REPLICA tasks; the quota errors they got. */
  private Answers run(VolcEmulator emulator, WebClient control, String redis) throws Exception {
    control.delete().uri("/_emulator/stats").retrieve().toBodilessEntity().block();
    try (ConfigurableApplicationContext a = replica(emulator, redis);
        ConfigurableApplicationContext b = replica(emulator, redis)) {
      List<WebClient> clients = List.of(client(a), client(b));
      for (int i = 0; i < TASKS_PER_REPLICA; i++) {
        for (WebClient http : clients) {
          http.post()
              .uri("/api/v1/generate")
              .bodyValue(
                  Map.of(
                      "prompt",
                      "shared " + i,
                      "model",
                      "general_v2.0_pro",
                      "width",
                      512,
                      "height",
                      512))
              .retrieve()
              .toBodilessEntity()
              .block();
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      for (WebClient http : clients) {
        while (finished(http) < TASKS_PER_REPLICA) {
          assertThat(System.nanoTime()).as("every task finished").isLessThan(deadline);
          Thread.sleep(200);
        }
      }
    }
    Map<String, Object> stats =
        control.get().uri("/_emulator/stats").retrieve().bodyToMono(JSON).block();
    return new Answers(answers(stats, "50429"), answers(stats, "50430"));
  }

  private static ConfigurableApplicationContext replica(VolcEmulator emulator, String... settings) {
    Path dataDir = Path.of("target/test-data", UUID.randomUUID().toString());
    List<String> properties =
        new ArrayList<>(
            List.of(
                "DATA_DIR=" + dataDir,
                "APP_PORT=0",
                "APP_LOG_LEVEL=WARN",
                "VOLC_ENDPOINT=" + emulator.endpoint(),
                "VOLC_ACCESS_KEY=" + AK,
                "VOLC_SECRET_KEY=" + SK,
                "VOLC_QPS=2",
                "VOLC_CONCURRENCY=2",
                "MAX_CONCURRENT_TASKS=2"));
    properties.addAll(List.of(settings));
    return new SpringApplicationBuilder(StudioApplication.class)
        .properties(properties.toArray(String[]::new))
        .run();
  }

  private static WebClient client(ConfigurableApplicationContext app) {
    return WebClient.create(
        "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort());
  }

  private static long finished(WebClient http) {
    Map<String, Object> page =
        http.get().uri("/api/v1/history?limit=1").retrieve().bodyToMono(JSON).block();
    return ((Number) page.get("total")).longValue();
  }

  @SuppressWarnings("unchecked")
  private static int answers(Map<String, Object> stats, String code) {
    Object n = ((Map<String, Object>) stats.getOrDefault("answers", Map.of())).get(code);
    return n == null ? 0 : ((Number) n).intValue();
  }
}
