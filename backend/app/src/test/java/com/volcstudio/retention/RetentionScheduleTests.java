package com.volcstudio.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The cleanup runs by itself every RETENTION_INTERVAL with the configured MAX_HISTORY_DAYS. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=0ms",
      "RETENTION_INTERVAL=1s",
      "MAX_HISTORY_DAYS=1",
      "MAX_STORAGE_GB=0"
    })
@AutoConfigureWebTestClient
class RetentionScheduleTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;

  @Test
  void aScheduledCleanupRemovesHistoryOlderThanMaxHistoryDaysAndReportsIt()
      throws InterruptedException {
    String id =
        (String)
            http.post()
                .uri("/api/v1/generate")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("prompt", "two days old soon"))
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody()
                .get("task_id");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"completed".equals(status(id)) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    db.sql("UPDATE generation_task SET created_at = :at WHERE id = :id")
        .bind(
            "at", OffsetDateTime.ofInstant(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC))
        .bind("id", id)
        .then()
        .block();

    while (status(id) != null && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }

    assertThat(status(id)).isNull();
    http.get()
        .uri("/api/v1/system/info")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.storage.max_history_days")
        .isEqualTo(1)
        .jsonPath("$.storage.limit_bytes")
        .isEmpty()
        .jsonPath("$.storage.last_cleanup_at")
        .isNotEmpty();
  }

  /** The task's status, or null once it is gone (404). */
  private String status(String taskId) {
    var result =
        http.get().uri("/api/v1/task/{id}", taskId).exchange().expectBody(JSON).returnResult();
    return result.getStatus().value() == 404
        ? null
        : (String) result.getResponseBody().get("status");
  }
}
