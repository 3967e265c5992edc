package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Pausing the queue, positions and waits of waiting tasks, and putting one first. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=200ms",
      "MAX_CONCURRENT_TASKS=1"
    })
@AutoConfigureWebTestClient
class QueueControlTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient http;

  @Test
  void aPausedQueueHoldsTasksInOrderAndMoveToFrontReordersThem() {
    http.post()
        .uri("/api/v1/queue/pause")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.paused")
        .isEqualTo(true);
    String first = submit("first");
    String second = submit("second");
    String third = submit("third");

    Map<String, Object> waiting = task(third);
    assertThat(waiting).containsEntry("status", "pending").containsEntry("queue_position", 3);
    int etaOneAtATime = ((Number) waiting.get("eta_seconds")).intValue();
    assertThat(etaOneAtATime).isPositive();
    // The estimate counts rounds of MAX_CONCURRENT_TASKS as in force now: three at a time, the
    // third waits one round instead of three (changed back, as the order checked below needs).
    maxConcurrentTasks(3);
    assertThat(((Number) task(third).get("eta_seconds")).intValue())
        .isLessThan(etaOneAtATime)
        .isPositive();
    maxConcurrentTasks(1);

    http.post()
        .uri("/api/v1/task/{id}/move-to-front", third)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.queue_position")
        .isEqualTo(1);
    assertThat(task(first)).containsEntry("queue_position", 2);
    http.get()
        .uri("/api/v1/queue")
        .exchange()
        .expectBody()
        .jsonPath("$.waiting[0]")
        .isEqualTo(third);

    http.post()
        .uri("/api/v1/queue/resume")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.paused")
        .isEqualTo(false);
    Instant thirdStarted =
        Instant.parse((String) TaskPolling.awaitTerminal(http, third).get("started_at"));
    Instant firstStarted =
        Instant.parse((String) TaskPolling.awaitTerminal(http, first).get("started_at"));
    TaskPolling.awaitTerminal(http, second);
    assertThat(thirdStarted).isBefore(firstStarted);
    assertThat(task(first)).containsEntry("queue_position", null);
  }

  @Test
  void onlyAWaitingTaskCanBeMovedToTheFront() {
    String done = submit("already done");
    TaskPolling.awaitTerminal(http, done);
    http.post()
        .uri("/api/v1/task/{id}/move-to-front", done)
        .exchange()
        .expectStatus()
        .isEqualTo(409);
    http.post()
        .uri("/api/v1/task/{id}/move-to-front", "nope")
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  private void maxConcurrentTasks(int n) {
    http.patch()
        .uri("/api/v1/settings")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("max_concurrent_tasks", n))
        .exchange()
        .expectStatus()
        .isOk();
  }

  private String submit(String prompt) {
    return (String)
        TaskPolling.submit(http, Map.of("prompt", prompt, "width", 512, "height", 512))
            .get("task_id");
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
}
