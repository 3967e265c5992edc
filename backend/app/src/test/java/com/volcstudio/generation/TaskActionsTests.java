package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.config.StudioProperties;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Cancel, retry, delete, favourites, idempotent submits, and the task and history lists. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "DEMO_LATENCY=1500ms"})
@AutoConfigureWebTestClient
class TaskActionsTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;
  @Autowired StudioProperties properties;

  @Test
  void cancelsARunningTaskAndDiscardsItsLateResult() throws InterruptedException {
    String id = submit("cancel me while running");
    awaitStatus(id, "running");
    Map<String, Object> cancelled = post("/api/v1/task/{id}/cancel", id, 200);
    assertThat(cancelled).containsEntry("status", "cancelled");
    Thread.sleep(2500);
    Map<String, Object> later = get(id);
    assertThat(later).containsEntry("status", "cancelled");
    assertThat((List<?>) later.get("images")).isEmpty();
  }

  @Test
  void cancellingAFinishedTaskIsAConflict() {
    String id = submit("finish first");
    TaskPolling.awaitTerminal(http, id);
    http.post()
        .uri("/api/v1/task/{id}/cancel", id)
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status_now")
        .isEqualTo("completed");
  }

  @Test
  void retriesAFailedTaskAsANewAttempt() {
    String id = submit("__fault_50412__ retry me");
    assertThat(TaskPolling.awaitTerminal(http, id))
        .containsEntry("status", "failed")
        .containsEntry("attempts", 1);
    Map<String, Object> requeued = post("/api/v1/task/{id}/retry", id, 200);
    assertThat(requeued.get("status")).isIn("pending", "running");
    assertThat(requeued.get("error")).isNull();
    assertThat(TaskPolling.awaitTerminal(http, id))
        .containsEntry("status", "failed")
        .containsEntry("attempts", 2);
  }

  @Test
  void retryingACompletedTaskIsAConflict() {
    String id = submit("already fine");
    TaskPolling.awaitTerminal(http, id);
    http.post().uri("/api/v1/task/{id}/retry", id).exchange().expectStatus().isEqualTo(409);
  }

  @Test
  void deletesATaskWithItsImageFiles() throws Exception {
    String id = submit("delete me");
    Map<String, Object> task = TaskPolling.awaitTerminal(http, id);
    String imageUrl = (String) TaskPolling.images(task).get(0).get("url");
    String imageId = (String) TaskPolling.images(task).get(0).get("image_id");

    http.delete().uri("/api/v1/task/{id}", id).exchange().expectStatus().isNoContent();

    http.get().uri("/api/v1/task/{id}", id).exchange().expectStatus().isNotFound();
    http.get().uri(imageUrl).exchange().expectStatus().isNotFound();
    assertThat(Files.list(properties.imagesDir()).map(p -> p.getFileName().toString()))
        .noneMatch(n -> n.startsWith(imageId));
    assertThat(Files.list(properties.thumbnailsDir()).map(p -> p.getFileName().toString()))
        .noneMatch(n -> n.startsWith(imageId));
  }

  @Test
  void favouritesShowInTheFavouriteHistory() {
    String id = submit("a favourite lighthouse");
    TaskPolling.awaitTerminal(http, id);
    http.put()
        .uri("/api/v1/task/{id}/favourite", id)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.favourite")
        .isEqualTo(true);
    http.get()
        .uri("/api/v1/history?favourite=true")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[?(@.task_id == '" + id + "')]")
        .isNotEmpty();
    http.delete()
        .uri("/api/v1/task/{id}/favourite", id)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.favourite")
        .isEqualTo(false);
  }

  @Test
  void aRepeatedSubmitWithTheSameIdempotencyKeyReturnsTheSameTask() {
    String key = "submit-" + UUID.randomUUID();
    long before = countTasks();
    String first = submitWithKey(key, "only once, please");
    String second = submitWithKey(key, "only once, please");
    assertThat(second).isEqualTo(first);
    assertThat(countTasks()).isEqualTo(before + 1);
  }

  @Test
  void reusingAnIdempotencyKeyForAnotherRequestIsRefused() {
    String key = "submit-" + UUID.randomUUID();
    submitWithKey(key, "the first request");
    http.post()
        .uri("/api/v1/generate")
        .header("Idempotency-Key", key)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("prompt", "a different request"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("Idempotency-Key");
  }

  @Test
  void theTaskListPagesWithACursor() {
    submit("page one");
    submit("page two");
    Map<String, Object> first =
        http.get()
            .uri("/api/v1/tasks?limit=1")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    assertThat((List<?>) first.get("items")).hasSize(1);
    String cursor = (String) first.get("next_cursor");
    assertThat(cursor).isNotBlank();
    Map<String, Object> second =
        http.get()
            .uri("/api/v1/tasks?limit=1&cursor={c}", cursor)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    assertThat(((Map<?, ?>) ((List<?>) second.get("items")).get(0)).get("task_id"))
        .isNotEqualTo(((Map<?, ?>) ((List<?>) first.get("items")).get(0)).get("task_id"));
  }

  @Test
  void historySearchesPromptsAndCounts() {
    String marker = "zebra" + UUID.randomUUID().toString().substring(0, 8);
    String id = submit("a " + marker + " crossing the road");
    TaskPolling.awaitTerminal(http, id);
    http.get()
        .uri("/api/v1/history?q={q}&page=1&limit=5", marker.toUpperCase())
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.total")
        .isEqualTo(1)
        .jsonPath("$.page")
        .isEqualTo(1)
        .jsonPath("$.limit")
        .isEqualTo(5)
        .jsonPath("$.items[0].task_id")
        .isEqualTo(id);
  }

  @Test
  void listsRejectBadParametersNamingThem() {
    expectFieldError("/api/v1/tasks?status=sleeping", "status");
    expectFieldError("/api/v1/tasks?cursor=not-a-cursor", "cursor");
    expectFieldError("/api/v1/tasks?limit=1000", "limit");
    expectFieldError("/api/v1/history?page=0", "page");
    expectFieldError("/api/v1/history?model=dalle_9", "model");
  }

  @Test
  void actionsOnAnUnknownTaskAreNotFound() {
    String unknown = UUID.randomUUID().toString();
    http.post().uri("/api/v1/task/{id}/cancel", unknown).exchange().expectStatus().isNotFound();
    http.post().uri("/api/v1/task/{id}/retry", unknown).exchange().expectStatus().isNotFound();
    http.delete().uri("/api/v1/task/{id}", unknown).exchange().expectStatus().isNotFound();
    http.put()
        .uri("/api/v1/task/{id}/favourite", "../../etc")
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  private void expectFieldError(String uri, String field) {
    http.get()
        .uri(uri)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.errors[?(@.field == '" + field + "')]")
        .isNotEmpty();
  }

  private String submit(String prompt) {
    return (String)
        TaskPolling.submit(http, Map.of("prompt", prompt, "width", 512, "height", 512))
            .get("task_id");
  }

  private String submitWithKey(String key, String prompt) {
    return (String)
        http.post()
            .uri("/api/v1/generate")
            .header("Idempotency-Key", key)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("prompt", prompt))
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody()
            .get("task_id");
  }

  private Map<String, Object> get(String id) {
    return http.get()
        .uri("/api/v1/task/{id}", id)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  private Map<String, Object> post(String uri, String id, int status) {
    return http.post()
        .uri(uri, id)
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  private void awaitStatus(String id, String status) throws InterruptedException {
    for (int i = 0; i < 100 && !status.equals(get(id).get("status")); i++) {
      Thread.sleep(50);
    }
    assertThat(get(id)).containsEntry("status", status);
  }

  private long countTasks() {
    return db.sql("SELECT COUNT(*) AS n FROM generation_task")
        .map(row -> row.get("n", Long.class))
        .one()
        .block();
  }
}
