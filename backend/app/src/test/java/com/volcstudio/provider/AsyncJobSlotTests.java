package com.volcstudio.provider;

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

/**
 * An asynchronous job holds its concurrency slot from its submit until its result is fetched: the
 * account counts a job not yet done against its concurrency (the emulator's account does, as the
 * docs say), so with four tasks allowed to run and an account concurrency of 2, jobs are submitted
 * two at a time and the account never answers 50430. (Holding the slot for the submit alone, the
 * third and fourth submits went out while two jobs ran.)
 */
class AsyncJobSlotTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Test
  void asyncJobsHoldTheirSlotUntilTheirResultSoTheAccountNeverAnswers50430() throws Exception {
    EmulatorSettings.Quotas quotas = new EmulatorSettings.Quotas(10, 10, 20, 10, 10, 2);
    try (VolcEmulator emulator =
            VolcEmulator.start(
                EmulatorSettings.loopback(
                        0,
                        EmulatorSettings.DEFAULT_ACCESS_KEY,
                        EmulatorSettings.DEFAULT_SECRET_KEY,
                        Duration.ofMillis(800))
                    .withQuotas(quotas));
        ConfigurableApplicationContext app =
            new SpringApplicationBuilder(StudioApplication.class)
                .properties(
                    "DATA_DIR=" + Path.of("target/test-data", UUID.randomUUID().toString()),
                    "APP_PORT=0",
                    "APP_LOG_LEVEL=WARN",
                    "VOLC_ENDPOINT=" + emulator.endpoint(),
                    "VOLC_ACCESS_KEY=" + emulator.settings().accessKey(),
                    "VOLC_SECRET_KEY=" + emulator.settings().secretKey(),
                    "VOLC_QPS=10",
                    "VOLC_QUERY_QPS=20",
                    "VOLC_CONCURRENCY=2",
                    "MAX_CONCURRENT_TASKS=4",
                    "RATE_LIMIT_ENABLED=false")
                .run()) {
      WebClient http =
          WebClient.create(
              "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort());
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ids.add(
            (String)
                http.post()
                    .uri("/api/v1/generate")
                    .bodyValue(Map.of("prompt", "slot " + i, "model", "jimeng_t2i_v3.1"))
                    .retrieve()
                    .bodyToMono(JSON)
                    .block()
                    .get("task_id"));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      for (String id : ids) {
        while (!"completed".equals(status(http, id))) {
          assertThat(System.nanoTime()).as("task %s completed", id).isLessThan(deadline);
          Thread.sleep(100);
        }
      }
      Map<String, Object> stats =
          WebClient.create(emulator.endpoint().toString())
              .get()
              .uri("/_emulator/stats")
              .retrieve()
              .bodyToMono(JSON)
              .block();
      @SuppressWarnings("unchecked")
      Map<String, Object> answers = (Map<String, Object>) stats.get("answers");
      assertThat(answers).doesNotContainKey("50430");
      assertThat(((Number) stats.get("async_tasks_submitted")).intValue()).isEqualTo(6);
    }
  }

  private static String status(WebClient http, String id) {
    return (String)
        http.get().uri("/api/v1/task/{id}", id).retrieve().bodyToMono(JSON).block().get("status");
  }
}
