package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

@SharedDemoStudio
class BatchApiTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;

  @Test
  void aListOfPromptsBecomesOneTaskEachUnderOneBatch() {
    Map<String, Object> plan =
        submit(Map.of("prompts", List.of("一只猫", "一只狗", "一只鸟"), "width", 512, "height", 512), 202);
    @SuppressWarnings("unchecked")
    List<String> ids = (List<String>) plan.get("task_ids");
    assertThat(ids).hasSize(3);
    assertThat(plan).containsEntry("tasks", 3).containsEntry("images", 3);
    // Every task says which batch it is in, so a client can offer that batch's ZIP from it.
    ids.forEach(
        id ->
            assertThat(TaskPolling.awaitTerminal(http, id))
                .containsEntry("status", "completed")
                .containsEntry("batch_id", plan.get("batch_id")));
    http.get()
        .uri("/api/v1/tasks?batch_id={b}", plan.get("batch_id"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items.length()")
        .isEqualTo(3);
    http.get()
        .uri("/api/v1/history?q=一只狗")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[0].batch_id")
        .isEqualTo(plan.get("batch_id"));
  }

  @Test
  void aSingleTaskBelongsToNoBatch() {
    String id =
        (String)
            TaskPolling.submit(http, Map.of("prompt", "单独一张", "width", 512, "height", 512))
                .get("task_id");
    assertThat(TaskPolling.awaitTerminal(http, id)).containsEntry("batch_id", null);
  }

  @Test
  void onePromptOverSeedsAndSizesMakesEveryCombination() {
    Map<String, Object> plan =
        submit(
            Map.of(
                "prompt",
                "灯塔",
                "seeds",
                List.of(1, 2),
                "sizes",
                List.of(Map.of("width", 512, "height", 512), Map.of("width", 1024, "height", 768))),
            202);
    @SuppressWarnings("unchecked")
    List<String> ids = (List<String>) plan.get("task_ids");
    assertThat(ids).hasSize(4);
    Map<String, Object> last = TaskPolling.awaitTerminal(http, ids.get(3));
    assertThat(last)
        .containsEntry("seed", 2)
        .containsEntry("width", 1024)
        .containsEntry("height", 768);
  }

  @Test
  void aDryRunEstimatesTheCostAndStoresNothing() {
    long before = countTasks();
    Map<String, Object> plan =
        submit(
            Map.of(
                "prompt",
                "seedream",
                "model",
                "seedream_4.0",
                "sizes",
                List.of(
                    Map.of("width", 2048, "height", 2048), Map.of("width", 2560, "height", 1440)),
                "num_images",
                2,
                "dry_run",
                true),
            200);
    assertThat(plan)
        .containsEntry("tasks", 2)
        .containsEntry("images", 4)
        .containsEntry("estimated_cost_cny", 0.8)
        .containsEntry("batch_id", null);
    assertThat(countTasks()).isEqualTo(before);
  }

  @Test
  void oneBadTaskRejectsTheWholeBatchNamingIt() {
    long before = countTasks();
    expectFieldError(Map.of("prompts", List.of("fine", " ", "also fine")), "tasks[1].prompt");
    assertThat(countTasks()).isEqualTo(before);
  }

  @Test
  void aBatchIsAtMostAHundredTasksAndNeedsOneShape() {
    expectFieldError(Map.of("prompts", Collections.nCopies(101, "cat")), "prompts");
    expectFieldError(Map.of("prompts", List.of("a"), "prompt", "b"), "prompts");
    expectFieldError(Map.of("width", 512), "prompts");
  }

  private Map<String, Object> submit(Map<String, Object> body, int status) {
    return http.post()
        .uri("/api/v1/generate/batch")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  private void expectFieldError(Map<String, Object> body, String field) {
    http.post()
        .uri("/api/v1/generate/batch")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.errors[?(@.field == '" + field + "')]")
        .isNotEmpty();
  }

  private long countTasks() {
    return db.sql("SELECT COUNT(*) AS n FROM generation_task")
        .map(row -> row.get("n", Long.class))
        .one()
        .block();
  }
}
