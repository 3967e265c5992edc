package com.volcstudio.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.StudioApplication;
import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@code make bench}: fair turns (issue 17). Five accounts share one emulated VolcEngine account of
 * QPS 2 and concurrency 2 at 500 ms per image; one of them queues 100 tasks, then each of the other
 * four submits one. Prints how long each single task waited and how many tasks started between its
 * submit and its own start (one dispatch round is one task of each other owner with work waiting),
 * and the makespan against its floor with the quota errors the emulator answered. Asserts only that
 * nothing was lost.
 */
@Tag("bench")
class FairTurnsBenchmark {

  private static final int BATCH = 100;
  private static final int OTHERS = 4;
  private static final int QPS = 2;
  private static final int CONCURRENCY = 2;
  private static final Duration LATENCY = Duration.ofMillis(500);
  private static final String AK = "AKLTbenchmark000000000000000002";
  private static final String SK = "YmVuY2htYXJrLXNlY3JldC1rZXk=";
  private static final String ADMIN = "admin";
  private static final String ADMIN_PASSWORD = "bench admin password";
  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Test
  void aSingleTaskWaitsOneRoundWhileAnotherAccountHasAHundredQueued() throws Exception {
    EmulatorSettings.Quotas quotas =
        new EmulatorSettings.Quotas(QPS, QPS, 20, 10, QPS, CONCURRENCY);
    int tasks = BATCH + OTHERS;
    double floor =
        Math.max(
            Math.ceil((double) tasks / CONCURRENCY) * LATENCY.toMillis() / 1000.0,
            (tasks - 1) / (double) QPS + LATENCY.toMillis() / 1000.0);
    try (VolcEmulator emulator =
            VolcEmulator.start(EmulatorSettings.loopback(0, AK, SK, LATENCY).withQuotas(quotas));
        ConfigurableApplicationContext app =
            new SpringApplicationBuilder(StudioApplication.class)
                .properties(
                    "DATA_DIR=target/bench-data/fair-turns-" + System.nanoTime(),
                    "APP_PORT=0",
                    "APP_LOG_LEVEL=WARN",
                    "APP_AUTH_USERNAME=" + ADMIN,
                    "APP_AUTH_PASSWORD=" + ADMIN_PASSWORD,
                    "RATE_LIMIT_ENABLED=false",
                    "VOLC_ENDPOINT=" + emulator.endpoint(),
                    "VOLC_ACCESS_KEY=" + AK,
                    "VOLC_SECRET_KEY=" + SK,
                    "VOLC_QPS=" + QPS,
                    "MAX_CONCURRENT_TASKS=" + CONCURRENCY,
                    "VOLC_MAX_RETRIES=10")
                .run()) {
      WebClient control = WebClient.create(emulator.endpoint().toString());
      control.delete().uri("/_emulator/stats").retrieve().toBodilessEntity().block();
      String base =
          "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
      WebClient admin = client(base, ADMIN, ADMIN_PASSWORD);
      List<WebClient> users = new ArrayList<>();
      for (int i = 0; i <= OTHERS; i++) {
        String name = "bench-user-" + i;
        admin
            .post()
            .uri("/api/v1/users")
            .bodyValue(Map.of("username", name, "password", name + " password"))
            .retrieve()
            .toBodilessEntity()
            .block();
        users.add(client(base, name, name + " password"));
      }

      Instant started = Instant.now();
      users
          .get(0)
          .post()
          .uri("/api/v1/generate/batch")
          .bodyValue(
              Map.of(
                  "prompts",
                  IntStream.range(0, BATCH).mapToObj(i -> "the big batch " + i).toList(),
                  "model",
                  "general_v2.0_pro",
                  "width",
                  512,
                  "height",
                  512))
          .retrieve()
          .toBodilessEntity()
          .block();
      // The batch is well under way when the others come.
      Thread.sleep(5_000);
      List<String> singles = new ArrayList<>();
      for (int i = 1; i <= OTHERS; i++) {
        Map<String, Object> accepted =
            users
                .get(i)
                .post()
                .uri("/api/v1/generate")
                .bodyValue(
                    Map.of(
                        "prompt",
                        "one task of user " + i,
                        "model",
                        "general_v2.0_pro",
                        "width",
                        512,
                        "height",
                        512))
                .retrieve()
                .bodyToMono(JSON)
                .block();
        singles.add((String) accepted.get("task_id"));
      }

      List<Map<String, Object>> done = awaitAll(admin, tasks);
      Instant last =
          done.stream()
              .map(t -> Instant.parse((String) t.get("completed_at")))
              .max(Instant::compareTo)
              .orElseThrow();
      double makespan = Duration.between(started, last).toMillis() / 1000.0;
      List<Instant> starts =
          done.stream().map(t -> Instant.parse((String) t.get("started_at"))).sorted().toList();
      Map<String, Object> stats =
          control.get().uri("/_emulator/stats").retrieve().bodyToMono(JSON).block();

      System.out.printf(
          "%n=== fair turns: 1 account queues %d tasks, then %d others 1 each; emulator QPS %d, concurrency %d, %d ms per image ===%n",
          BATCH, OTHERS, QPS, CONCURRENCY, LATENCY.toMillis());
      for (String id : singles) {
        Map<String, Object> task =
            done.stream().filter(t -> id.equals(t.get("task_id"))).findFirst().orElseThrow();
        Instant created = Instant.parse((String) task.get("created_at"));
        Instant start = Instant.parse((String) task.get("started_at"));
        long before = starts.stream().filter(s -> s.isAfter(created) && s.isBefore(start)).count();
        System.out.printf(
            "single task %s: waited %5d ms, %d tasks started before it (one round: at most %d)%n",
            task.get("prompt"), Duration.between(created, start).toMillis(), before, OTHERS);
      }
      System.out.printf(
          "makespan %.2f s, floor %.2f s, ratio %.3f, completed %d/%d, 50429 %d, 50430 %d%n",
          makespan,
          floor,
          makespan / floor,
          done.stream().filter(t -> "completed".equals(t.get("status"))).count(),
          tasks,
          answers(stats, "50429"),
          answers(stats, "50430"));
      assertThat(done).hasSize(tasks);
    }
  }

  private static WebClient client(String base, String user, String password) {
    return WebClient.builder()
        .baseUrl(base)
        .defaultHeaders(h -> h.setBasicAuth(user, password))
        .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
        .build();
  }

  /** Every account's finished tasks, once all {@code tasks} have finished. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> awaitAll(WebClient admin, int tasks)
      throws InterruptedException {
    while (true) {
      List<Map<String, Object>> all = new ArrayList<>();
      for (int page = 1; page <= 2; page++) {
        Map<String, Object> body =
            admin
                .get()
                .uri("/api/v1/history?user_id=all&limit=100&page=" + page)
                .retrieve()
                .bodyToMono(JSON)
                .block();
        all.addAll((List<Map<String, Object>>) body.get("items"));
      }
      if (all.size() >= tasks) {
        all.sort(Comparator.comparing(t -> (String) t.get("started_at")));
        return all;
      }
      Thread.sleep(1000);
    }
  }

  @SuppressWarnings("unchecked")
  private static int answers(Map<String, Object> stats, String code) {
    Object n = ((Map<String, Object>) stats.getOrDefault("answers", Map.of())).get(code);
    return n == null ? 0 : ((Number) n).intValue();
  }
}
