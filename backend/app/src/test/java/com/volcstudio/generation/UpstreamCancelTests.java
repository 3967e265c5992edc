package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.connection.Providers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Cancelling a running asynchronous task cancels it upstream too (CVCancelTask), and its result is
 * never stored.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "DEMO_LATENCY=3s"})
@AutoConfigureWebTestClient
class UpstreamCancelTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;
  @Autowired Providers providers;

  @Test
  @SuppressWarnings("unchecked")
  void cancellingARunningAsyncTaskCancelsItUpstreamAndARetrySubmitsAfresh() {
    WebTestClient emulator =
        WebTestClient.bindToServer()
            .baseUrl(providers.visual().orElseThrow().endpoint().toString())
            .build();
    String id =
        (String)
            TaskPolling.submit(
                    http, Map.of("prompt", "cancel me upstream", "model", "jimeng_t2i_v3.1"))
                .get("task_id");
    await("the upstream task id is stored", () -> jobs(id) == 1);

    http.post()
        .uri("/api/v1/task/{id}/cancel", id)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("cancelled");

    await(
        "CVCancelTask reaches the emulator",
        () -> {
          Map<String, Object> stats =
              emulator
                  .get()
                  .uri("/_emulator/stats")
                  .exchange()
                  .expectBody(JSON)
                  .returnResult()
                  .getResponseBody();
          return ((Map<String, Number>) stats.get("requests"))
                  .getOrDefault("CVCancelTask", 0)
                  .intValue()
              >= 1;
        });
    // Cancelled upstream, so forgotten here: a retry must not poll a task the service has dropped.
    await("the cancelled upstream job is forgotten", () -> jobs(id) == 0);
    Map<String, Object> cancelled = task(id);
    assertThat(cancelled).containsEntry("status", "cancelled");
    assertThat((List<?>) cancelled.get("images")).isEmpty();

    http.post().uri("/api/v1/task/{id}/retry", id).exchange().expectStatus().isOk();
    Map<String, Object> retried = TaskPolling.awaitTerminal(http, id);
    assertThat(retried.get("status")).as("%s", retried.get("error")).isEqualTo("completed");
    assertThat(TaskPolling.images(retried)).hasSize(1);
  }

  private long jobs(String taskId) {
    return db.sql(
            "SELECT COUNT(*) AS n FROM upstream_job WHERE task_id = :t AND upstream_task_id IS NOT NULL")
        .bind("t", taskId)
        .map(row -> row.get("n", Long.class))
        .one()
        .block();
  }

  private Map<String, Object> task(String id) {
    return http.get()
        .uri("/api/v1/task/{id}", id)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("timed out waiting until " + what);
  }
}
