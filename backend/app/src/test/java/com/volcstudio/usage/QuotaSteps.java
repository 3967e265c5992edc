package com.volcstudio.usage;

import java.time.Duration;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The submits and reads the quota tests repeat, over real HTTP. */
final class QuotaSteps {

  static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  private final WebTestClient http;

  QuotaSteps(WebTestClient http) {
    this.http = http;
  }

  WebTestClient.ResponseSpec submit(int images) {
    return submit(
        Map.of("prompt", "quota " + images, "num_images", images, "width", 512, "height", 512));
  }

  WebTestClient.ResponseSpec submit(Map<String, Object> body) {
    return http.post()
        .uri("/api/v1/generate")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  String accepted(int images) {
    return accepted(
        Map.of("prompt", "quota " + images, "num_images", images, "width", 512, "height", 512));
  }

  /** The id of the task this body made, which the app accepted. */
  String accepted(Map<String, Object> body) {
    return (String)
        submit(body)
            .expectStatus()
            .isAccepted()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody()
            .get("task_id");
  }

  String awaitEnd(String taskId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      String status = (String) get("/api/v1/task/" + taskId).get("status");
      if (status.equals("completed") || status.equals("failed")) {
        return status;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("task " + taskId + " did not finish");
  }

  Map<String, Object> get(String path) {
    return http.get()
        .uri(path)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  @SuppressWarnings("unchecked")
  long quotaUsed() {
    return ((Number) ((Map<String, Object>) get("/api/v1/usage").get("quota")).get("used"))
        .longValue();
  }

  void post(String path) {
    http.post().uri(path).exchange().expectStatus().is2xxSuccessful();
  }
}
