package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Small steps the API tests share: submit, wait for the end, read the images, expect a field error.
 */
final class TaskPolling {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
      new ParameterizedTypeReference<>() {};

  private TaskPolling() {}

  static Map<String, Object> submit(WebTestClient http, Map<String, Object> body) {
    return http.post()
        .uri("/api/v1/generate")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody(JSON_OBJECT)
        .returnResult()
        .getResponseBody();
  }

  static Map<String, Object> awaitTerminal(WebTestClient http, String taskId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Map<String, Object> task =
          http.get()
              .uri("/api/v1/task/{id}", taskId)
              .exchange()
              .expectStatus()
              .isOk()
              .expectBody(JSON_OBJECT)
              .returnResult()
              .getResponseBody();
      if (task.get("status").equals("completed") || task.get("status").equals("failed")) {
        return task;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("task " + taskId + " did not finish within 30 s");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> images(Map<String, Object> task) {
    return (List<Map<String, Object>>) task.get("images");
  }

  static void expectFieldError(WebTestClient http, String rawJson, String field) {
    http.post()
        .uri("/api/v1/generate")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(rawJson)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(400)
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).isNotBlank())
        .jsonPath("$.errors[?(@.field == '" + field + "')].reason")
        .isNotEmpty();
  }

  /**
   * One page of {@code GET /api/v1/history?query}; {@code query} unencoded (the URI template
   * encodes it).
   */
  static Map<String, Object> history(WebTestClient http, String query) {
    return http.get()
        .uri("/api/v1/history?" + query)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(JSON_OBJECT)
        .returnResult()
        .getResponseBody();
  }

  /** The task ids of a page of tasks ({@code items}), in order. */
  @SuppressWarnings("unchecked")
  static List<String> taskIds(Map<String, Object> page) {
    return ((List<Map<String, Object>>) page.get("items"))
        .stream().map(t -> (String) t.get("task_id")).toList();
  }
}
