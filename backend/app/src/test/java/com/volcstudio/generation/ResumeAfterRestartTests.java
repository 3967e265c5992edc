package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.connection.Providers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A task cut short by a stopped app is finished by the next start on the same DATA_DIR, not lost.
 */
class ResumeAfterRestartTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Test
  void aTaskLeftRunningIsCompletedAfterARestart() throws Exception {
    Path dataDir =
        Files.createDirectories(Path.of("target/test-data")).resolve("resume-" + System.nanoTime());
    String taskId;
    // First run: the emulator takes far longer than we wait, so the app stops mid-generation.
    try (ConfigurableApplicationContext first = StudioRun.start(dataDir, "30s")) {
      WebClient http = WebClient.create(StudioRun.baseUrl(first));
      taskId = submit(http, Map.of("prompt", "resume me"));
      awaitStatus(http, taskId, "running", Duration.ofSeconds(20));
    }
    try (ConfigurableApplicationContext second = StudioRun.start(dataDir, "50ms")) {
      Map<String, Object> task =
          awaitStatus(
              WebClient.create(StudioRun.baseUrl(second)),
              taskId,
              "completed",
              Duration.ofSeconds(30));
      assertThat((List<?>) task.get("images")).hasSize(1);
      assertThat(task.get("attempts")).isEqualTo(2);
    }
  }

  @Test
  void aPausedQueueStaysPausedAfterARestartUntilResumed() throws Exception {
    Path dataDir =
        Files.createDirectories(Path.of("target/test-data")).resolve("paused-" + System.nanoTime());
    String taskId;
    try (ConfigurableApplicationContext first = StudioRun.start(dataDir, "50ms")) {
      WebClient http = WebClient.create(StudioRun.baseUrl(first));
      http.post().uri("/api/v1/queue/pause").retrieve().toBodilessEntity().block();
      taskId = submit(http, Map.of("prompt", "held by the pause"));
    }
    try (ConfigurableApplicationContext second = StudioRun.start(dataDir, "50ms")) {
      WebClient http = WebClient.create(StudioRun.baseUrl(second));
      Thread.sleep(500);
      assertThat(http.get().uri("/api/v1/queue").retrieve().bodyToMono(JSON).block())
          .containsEntry("paused", true);
      assertThat(awaitStatus(http, taskId, "pending", Duration.ofSeconds(1))).isNotEmpty();
      http.post().uri("/api/v1/queue/resume").retrieve().toBodilessEntity().block();
      awaitStatus(http, taskId, "completed", Duration.ofSeconds(30));
    }
  }

  /**
   * The app stops in the middle of an image set's stream: the image that had arrived is kept, and
   * the next start asks the service for the missing two only.
   */
  @Test
  void anImageSetCutByAStopIsFinishedWithOnlyItsMissingImagesAfterARestart() throws Exception {
    Path dataDir =
        Files.createDirectories(Path.of("target/test-data")).resolve("set-" + System.nanoTime());
    String taskId;
    try (ConfigurableApplicationContext first = StudioRun.start(dataDir, "3s")) {
      WebClient http = WebClient.create(StudioRun.baseUrl(first));
      taskId =
          submit(
              http,
              Map.of(
                  "prompt",
                  "一组被打断的图",
                  "model",
                  "seedream_4.0",
                  "sequential",
                  true,
                  "num_images",
                  3,
                  "width",
                  1024,
                  "height",
                  1024));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (((List<?>) task(http, taskId).get("images")).isEmpty()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat((List<?>) task(http, taskId).get("images")).hasSize(1);
    }
    try (ConfigurableApplicationContext second = StudioRun.start(dataDir, "50ms")) {
      Map<String, Object> task =
          awaitStatus(
              WebClient.create(StudioRun.baseUrl(second)),
              taskId,
              "completed",
              Duration.ofSeconds(30));
      assertThat((List<?>) task.get("images")).hasSize(3);
      Map<String, Object> stats =
          WebClient.create(
                  second.getBean(Providers.class).ark().orElseThrow().endpoint().resolve("/")
                      + "_emulator/stats")
              .get()
              .retrieve()
              .bodyToMono(JSON)
              .block();
      assertThat(((Number) stats.get("images_rendered")).longValue())
          .as("images painted after the restart")
          .isEqualTo(2);
    }
  }

  private static Map<String, Object> task(WebClient http, String taskId) {
    return http.get().uri("/api/v1/task/{id}", taskId).retrieve().bodyToMono(JSON).block();
  }

  /**
   * The app stops while an asynchronous submit is out and unanswered: the service may have accepted
   * it, and it cannot be found again. After the restart the task is not submitted again (that could
   * be paid twice): it fails and says why, and the user's retry submits once.
   */
  @Test
  void aSubmitLeftUnansweredByAStopIsNotSentAgainUntilTheUserRetries() throws Exception {
    Path dataDir =
        Files.createDirectories(Path.of("target/test-data"))
            .resolve("unheard-" + System.nanoTime());
    String taskId;
    try (ConfigurableApplicationContext first = StudioRun.start(dataDir, "50ms")) {
      // The emulator holds the submit's answer for longer than the app runs.
      WebClient.create(first.getBean(Providers.class).visual().orElseThrow().endpoint().toString())
          .post()
          .uri("/_emulator/faults")
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(Map.of("code", "timeout", "action", "CVSync2AsyncSubmitTask", "count", 1))
          .retrieve()
          .toBodilessEntity()
          .block();
      taskId =
          submit(
              WebClient.create(StudioRun.baseUrl(first)),
              Map.of("prompt", "unheard", "model", "jimeng_t2i_v3.1"));
      DatabaseClient db = first.getBean(DatabaseClient.class);
      await(
          "the submit is recorded as going out, without an upstream id",
          () ->
              db.sql(
                      "SELECT COUNT(*) AS n FROM upstream_job WHERE task_id = :t"
                          + " AND upstream_task_id IS NULL")
                  .bind("t", taskId)
                  .map(row -> row.get("n", Long.class))
                  .one()
                  .block()
                  .equals(1L));
    }
    try (ConfigurableApplicationContext second = StudioRun.start(dataDir, "50ms")) {
      WebClient http = WebClient.create(StudioRun.baseUrl(second));
      Map<String, Object> failed = awaitStatus(http, taskId, "failed", Duration.ofSeconds(30));
      @SuppressWarnings("unchecked")
      Map<String, Object> error = (Map<String, Object>) failed.get("error");
      assertThat(error)
          .containsEntry("code", "SUBMIT_INTERRUPTED")
          .containsEntry("retryable", true);
      assertThat(submitsSeenBy(second)).as("submits after the restart").isZero();

      http.post().uri("/api/v1/task/{id}/retry", taskId).retrieve().toBodilessEntity().block();
      Map<String, Object> done = awaitStatus(http, taskId, "completed", Duration.ofSeconds(30));
      assertThat((List<?>) done.get("images")).hasSize(1);
      assertThat(submitsSeenBy(second)).as("submits after the retry").isEqualTo(1);
    }
  }

  /** Submits at 512², with {@code body}'s fields over that; the task's id. */
  private static String submit(WebClient http, Map<String, Object> body) {
    Map<String, Object> params = new java.util.HashMap<>(Map.of("width", 512, "height", 512));
    params.putAll(body);
    return (String)
        http.post()
            .uri("/api/v1/generate")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(params)
            .retrieve()
            .bodyToMono(JSON)
            .block()
            .get("task_id");
  }

  private static long submitsSeenBy(ConfigurableApplicationContext context) {
    Map<String, Object> stats =
        WebClient.create(
                context.getBean(Providers.class).visual().orElseThrow().endpoint().toString())
            .get()
            .uri("/_emulator/stats")
            .retrieve()
            .bodyToMono(JSON)
            .block();
    return ((Number) stats.get("async_tasks_submitted")).longValue();
  }

  private static void await(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(50);
    }
  }

  private static Map<String, Object> awaitStatus(
      WebClient http, String taskId, String status, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    Map<String, Object> task = Map.of();
    while (System.nanoTime() < deadline) {
      task = http.get().uri("/api/v1/task/{id}", taskId).retrieve().bodyToMono(JSON).block();
      if (status.equals(task.get("status"))) {
        return task;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("task " + taskId + " never reached " + status + "; last seen " + task);
  }
}
