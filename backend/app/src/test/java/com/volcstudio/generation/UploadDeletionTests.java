package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.config.StudioProperties;
import com.volcstudio.upload.TestImages;
import com.volcstudio.upload.TestUploads;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * DELETE /api/v1/uploads/{id}: row and file go together; refused while a pending or running task
 * will still send the upload, allowed once its tasks have ended, and a retry of such a task then
 * fails plainly instead of as an internal error.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "DEMO_LATENCY=20ms"})
@AutoConfigureWebTestClient
class UploadDeletionTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;
  @Autowired StudioProperties studio;

  @Test
  void deletesTheRowAndTheFile() {
    String id = TestUploads.upload(http, TestImages.png(64, 64));
    Path file = studio.dataDir().resolve("uploads").resolve(id + ".png");
    assertThat(file).exists();

    http.delete().uri("/api/v1/uploads/{id}", id).exchange().expectStatus().isNoContent();

    assertThat(file).doesNotExist();
    assertThat(rows(id)).isZero();
    http.get().uri("/api/v1/uploads/{id}", id).exchange().expectStatus().isNotFound();
    expectProblem(id, 404, null);
  }

  @Test
  void answersAnUnknownIdAndAnIdThatCannotBeOursWith404LikeTheGet() {
    expectProblem("00000000-0000-0000-0000-000000000000", 404, null);
    expectProblem("not-an-id", 404, null);
    expectProblem("ABCDEF00-0000-0000-0000-000000000000", 404, null);
  }

  @Test
  void refusesWhileARunningTaskUsesItThenAllowsItOnceTheTaskEnded() {
    String id = TestUploads.upload(http, TestImages.png(640, 480));
    // A task a runner holds, as the database says (no queue involved, so nothing can finish it).
    String taskId = UUID.randomUUID().toString();
    db.sql(
            "INSERT INTO generation_task (id, status, stage, progress, model, prompt, negative_prompt, width, height,"
                + " num_images, seed, created_at, started_at, reference_ids_json) VALUES (:id, 'running', 'generating', 50,"
                + " 'jimeng_i2i_v3.0', 'still running', '', 1024, 1024, 1, 1, :at, :at, :refs)")
        .bind("id", taskId)
        .bind("at", OffsetDateTime.now(ZoneOffset.UTC))
        .bind("refs", "[\"" + id + "\"]")
        .then()
        .block();

    Map<String, Object> problem = expectProblem(id, 409, null);
    assertThat((String) problem.get("detail")).contains("pending or running task");
    assertThat(rows(id)).isOne();
    assertThat(studio.dataDir().resolve("uploads").resolve(id + ".png")).exists();

    db.sql("UPDATE generation_task SET status = 'failed', completed_at = started_at WHERE id = :id")
        .bind("id", taskId)
        .then()
        .block();
    http.delete().uri("/api/v1/uploads/{id}", id).exchange().expectStatus().isNoContent();

    // The failed task still names the upload; retrying it fails at once, and says why.
    http.post().uri("/api/v1/task/{id}/retry", taskId).exchange().expectStatus().isOk();
    Map<String, Object> retried = TaskPolling.awaitTerminal(http, taskId);
    assertThat(retried.get("status")).isEqualTo("failed");
    assertThat(retried.get("error"))
        .asInstanceOf(InstanceOfAssertFactories.MAP)
        .containsEntry("code", "REFERENCE_IMAGE_GONE")
        .containsEntry("retryable", false);
  }

  @Test
  void aCompletedTaskDoesNotKeepItsReference() {
    String id = TestUploads.upload(http, TestImages.png(640, 480));
    String taskId =
        (String) TaskPolling.submit(http, TestUploads.imageToImageRequest(id)).get("task_id");
    assertThat(TaskPolling.awaitTerminal(http, taskId).get("status")).isEqualTo("completed");

    http.delete().uri("/api/v1/uploads/{id}", id).exchange().expectStatus().isNoContent();

    // Its images stay; they never needed the reference once made.
    Map<String, Object> task = TaskPolling.awaitTerminal(http, taskId);
    assertThat(TaskPolling.images(task)).isNotEmpty();
  }

  private Map<String, Object> expectProblem(String id, int status, String field) {
    Map<String, Object> problem =
        http.delete()
            .uri("/api/v1/uploads/" + id)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectHeader()
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    if (field != null) {
      assertThat(problem.get("errors")).asString().contains("field=" + field);
    }
    return problem;
  }

  private long rows(String id) {
    return db.sql("SELECT COUNT(*) AS n FROM upload WHERE id = :id")
        .bind("id", id)
        .map(row -> row.get("n", Long.class))
        .one()
        .block();
  }
}
