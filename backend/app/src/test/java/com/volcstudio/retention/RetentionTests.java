package com.volcstudio.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.config.StudioProperties;
import com.volcstudio.settings.RuntimeSettings;
import com.volcstudio.upload.TestImages;
import com.volcstudio.upload.TestUploads;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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

/**
 * The cleanup, triggered directly with tiny limits: oldest non-favourites go first, rows and files
 * together; favourites and unfinished tasks stay; uploads no task refers to go after a grace
 * period. The scheduled cleanup is switched off here (limits 0).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=0ms",
      "MAX_HISTORY_DAYS=0",
      "MAX_STORAGE_GB=0"
    })
@AutoConfigureWebTestClient
class RetentionTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;
  @Autowired StudioProperties properties;
  @Autowired RetentionService retention;

  @Test
  void overTheBudgetTheOldestNonFavouritesGoUntilItFitsAndNeitherFavouritesNorRunningTasksDo() {
    // Older than anything the other tests leave behind, so these are the oldest candidates.
    Instant base = Instant.now().minus(400, ChronoUnit.DAYS);
    String a = completed("budget A", base);
    String b = completed("budget B favourite", base.plus(1, ChronoUnit.HOURS));
    String c = completed("budget C", base.plus(2, ChronoUnit.HOURS));
    String d = completed("budget D", base.plus(3, ChronoUnit.HOURS));
    http.put().uri("/api/v1/task/{id}/favourite", b).exchange().expectStatus().isOk();
    // Older than all of them, still running, and holding a big image already: never a candidate.
    String running = runningTaskWithImage(base.minus(100, ChronoUnit.DAYS), 5_000_000);

    long total = retention.status().block().bytes();
    long limit = total - bytesOf(a) - 1;
    long expectedFreed = bytesOf(List.of(a, c));
    RetentionService.Report report = retention.cleanup(new RetentionPolicy(null, limit)).block();

    assertThat(report.tasks()).isEqualTo(2);
    assertThat(report.bytes()).isEqualTo(expectedFreed);
    assertThat(report.stillOverBudget()).isFalse();
    assertGone(a);
    assertGone(c);
    assertKept(b);
    assertKept(d);
    http.get()
        .uri("/api/v1/task/{id}", running)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("running");
    assertThat(retention.status().block().bytes()).isLessThanOrEqualTo(limit);

    http.get()
        .uri("/api/v1/system/info")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.storage.last_cleanup_removed")
        .isEqualTo(2)
        .jsonPath("$.storage.last_cleanup_at")
        .value(at -> assertThat((String) at).endsWith("Z"))
        .jsonPath("$.storage.bytes")
        .value(bytes -> assertThat(((Number) bytes).longValue()).isEqualTo(total - report.bytes()))
        .jsonPath("$.storage.limit_bytes")
        .isEmpty()
        .jsonPath("$.storage.max_history_days")
        .isEmpty();
  }

  @Test
  void whenOnlyFavouritesAndRunningTasksAreLeftTheBudgetStaysExceededAndNothingElseGoes() {
    String favourite = completed("only a favourite", Instant.now().minus(30, ChronoUnit.DAYS));
    http.put().uri("/api/v1/task/{id}/favourite", favourite).exchange().expectStatus().isOk();
    String removable = completed("removable", Instant.now());

    RetentionService.Report report = retention.cleanup(new RetentionPolicy(null, 1L)).block();

    assertThat(report.stillOverBudget()).isTrue();
    assertGone(removable);
    assertKept(favourite);
  }

  @Test
  void historyOlderThanMaxAgeGoesButFavouritesAndWaitingTasksStay() {
    Instant old = Instant.now().minus(40, ChronoUnit.DAYS);
    String oldTask = completed("old", old);
    String oldFavourite = completed("old favourite", old);
    http.put().uri("/api/v1/task/{id}/favourite", oldFavourite).exchange().expectStatus().isOk();
    String oldFailed = finish(Map.of("prompt", "__fault_50412__ old failure"));
    age(oldFailed, old);
    String recent = completed("recent", Instant.now().minus(1, ChronoUnit.DAYS));
    http.post().uri("/api/v1/queue/pause").exchange().expectStatus().isOk();
    String waiting;
    try {
      waiting = (String) submit(Map.of("prompt", "old but still waiting")).get("task_id");
      age(waiting, old);

      RetentionService.Report report =
          retention.cleanup(new RetentionPolicy(Duration.ofDays(30), null)).block();

      assertThat(report.tasks()).isGreaterThanOrEqualTo(2);
    } finally {
      http.post().uri("/api/v1/queue/resume").exchange().expectStatus().isOk();
    }
    assertGone(oldTask);
    http.get().uri("/api/v1/task/{id}", oldFailed).exchange().expectStatus().isNotFound();
    assertKept(oldFavourite);
    assertKept(recent);
    http.get().uri("/api/v1/task/{id}", waiting).exchange().expectStatus().isOk();
  }

  @Test
  void uploadsNoTaskRefersToGoAfterTheGracePeriodRowsAndFilesTogether() {
    Instant old = Instant.now().minus(RetentionService.UPLOAD_GRACE).minus(1, ChronoUnit.HOURS);
    String unused = ageUpload(TestUploads.upload(http, TestImages.png(64, 64)), old);
    String justUploaded = TestUploads.upload(http, TestImages.png(64, 64));
    String keptByTask = ageUpload(TestUploads.upload(http, TestImages.png(640, 480)), old);
    String task = finish(TestUploads.imageToImageRequest(keptByTask));
    String freedByCleanup = ageUpload(TestUploads.upload(http, TestImages.png(640, 480)), old);
    String oldTask = finish(TestUploads.imageToImageRequest(freedByCleanup));
    age(oldTask, Instant.now().minus(40, ChronoUnit.DAYS));

    RetentionService.Report report =
        retention.cleanup(new RetentionPolicy(Duration.ofDays(30), null)).block();

    assertThat(report.uploads()).isGreaterThanOrEqualTo(2);
    assertUploadGone(unused);
    assertUploadGone(freedByCleanup);
    assertUploadKept(justUploaded);
    assertUploadKept(keptByTask);
    assertKept(task);
    http.get()
        .uri("/api/v1/system/info")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.storage.last_cleanup_removed_uploads")
        .isEqualTo(report.uploads())
        .jsonPath("$.storage.uploads")
        .value(n -> assertThat(((Number) n).longValue()).isGreaterThanOrEqualTo(2))
        .jsonPath("$.storage.upload_bytes")
        .value(n -> assertThat(((Number) n).longValue()).isPositive());
  }

  @Test
  void theConfiguredLimitsBecomeThePolicyAndZeroSwitchesThemOff() {
    assertThat(RetentionPolicy.from(limits(30, 2.0)))
        .isEqualTo(new RetentionPolicy(Duration.ofDays(30), 2L * 1024 * 1024 * 1024));
    assertThat(RetentionPolicy.from(limits(30, 0.5)))
        .isEqualTo(new RetentionPolicy(Duration.ofDays(30), 512L * 1024 * 1024));
    assertThat(RetentionPolicy.from(limits(null, null))).isEqualTo(new RetentionPolicy(null, null));
    assertThat(RetentionPolicy.from(limits(0, 0.0))).isEqualTo(new RetentionPolicy(null, null));
  }

  private static RuntimeSettings limits(Integer days, Double gb) {
    return new RuntimeSettings(1, 2, 500, 2, 2, null, null, null, null, days, gb, null);
  }

  private void assertGone(String taskId) {
    List<String> imageIds = imageIds(taskId);
    http.get().uri("/api/v1/task/{id}", taskId).exchange().expectStatus().isNotFound();
    assertThat(
            db.sql("SELECT COUNT(*) AS n FROM stored_image WHERE task_id = :t")
                .bind("t", taskId)
                .map(row -> row.get("n", Long.class))
                .one()
                .block())
        .isZero();
    for (String imageId : imageIds) {
      assertThat(properties.imagesDir().resolve(imageId + ".png")).doesNotExist();
      assertThat(properties.thumbnailsDir().resolve(imageId + ".jpg")).doesNotExist();
    }
  }

  private void assertKept(String taskId) {
    http.get().uri("/api/v1/task/{id}", taskId).exchange().expectStatus().isOk();
    for (String imageId : imageIds(taskId)) {
      assertThat(properties.imagesDir().resolve(imageId + ".png")).exists();
    }
  }

  /**
   * Image ids are remembered per task before a cleanup, so a test can check their files afterwards.
   */
  private final Map<String, List<String>> imagesByTask =
      new java.util.concurrent.ConcurrentHashMap<>();

  private List<String> imageIds(String taskId) {
    return imagesByTask.getOrDefault(taskId, List.of());
  }

  private String completed(String prompt, Instant createdAt) {
    String id = finish(Map.of("prompt", prompt, "width", 512, "height", 512));
    age(id, createdAt);
    imagesByTask.put(
        id,
        db.sql("SELECT id FROM stored_image WHERE task_id = :t")
            .bind("t", id)
            .map(row -> row.get("id", String.class))
            .all()
            .collectList()
            .block());
    assertThat(imageIds(id)).isNotEmpty();
    awaitThumbnails(id);
    return id;
  }

  /**
   * Thumbnails are made after the task completes and then counted in its bytes: the budget figures
   * of a test must be read once they exist, or they change under it.
   */
  private void awaitThumbnails(String taskId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (db.sql(
                "SELECT COUNT(*) AS n FROM stored_image WHERE task_id = :t AND thumbnail_bytes = 0")
            .bind("t", taskId)
            .map(row -> row.get("n", Long.class))
            .one()
            .block()
        > 0) {
      assertThat(System.nanoTime())
          .as("thumbnails of " + taskId + " within 30 s")
          .isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private String finish(Map<String, Object> body) {
    String id = (String) submit(body).get("task_id");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      String status =
          (String)
              http.get()
                  .uri("/api/v1/task/{id}", id)
                  .exchange()
                  .expectStatus()
                  .isOk()
                  .expectBody(JSON)
                  .returnResult()
                  .getResponseBody()
                  .get("status");
      if (status.equals("completed") || status.equals("failed")) {
        return id;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("task " + id + " did not finish");
  }

  private Map<String, Object> submit(Map<String, Object> body) {
    return http.post()
        .uri("/api/v1/generate")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  private String ageUpload(String uploadId, Instant createdAt) {
    db.sql("UPDATE upload SET created_at = :at WHERE id = :id")
        .bind("at", OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC))
        .bind("id", uploadId)
        .then()
        .block();
    return uploadId;
  }

  private void assertUploadGone(String uploadId) {
    http.get().uri("/api/v1/uploads/{id}", uploadId).exchange().expectStatus().isNotFound();
    assertThat(properties.dataDir().resolve("uploads").resolve(uploadId + ".png")).doesNotExist();
  }

  private void assertUploadKept(String uploadId) {
    http.get().uri("/api/v1/uploads/{id}", uploadId).exchange().expectStatus().isOk();
    assertThat(properties.dataDir().resolve("uploads").resolve(uploadId + ".png")).exists();
  }

  private void age(String taskId, Instant createdAt) {
    db.sql("UPDATE generation_task SET created_at = :at WHERE id = :id")
        .bind("at", OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC))
        .bind("id", taskId)
        .then()
        .block();
  }

  private long bytesOf(String taskId) {
    return bytesOf(List.of(taskId));
  }

  private long bytesOf(List<String> taskIds) {
    return db.sql(
            "SELECT CAST(SUM(size_bytes + thumbnail_bytes) AS BIGINT) AS n FROM stored_image WHERE task_id IN (:t)")
        .bind("t", taskIds)
        .map(row -> row.get("n", Long.class))
        .one()
        .block();
  }

  /** A task a runner is working on (as the database says), with one image stored already. */
  private String runningTaskWithImage(Instant createdAt, long imageBytes) {
    String id = UUID.randomUUID().toString();
    OffsetDateTime at = OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC);
    db.sql(
            "INSERT INTO generation_task (id, status, stage, progress, model, prompt, negative_prompt, width, height,"
                + " num_images, seed, created_at, started_at) VALUES (:id, 'running', 'generating', 50, 'general_v2.0',"
                + " 'still running', '', 512, 512, 2, 1, :at, :at)")
        .bind("id", id)
        .bind("at", at)
        .then()
        .block();
    db.sql(
            "INSERT INTO stored_image (id, task_id, image_index, seed, width, height, mime_type, size_bytes, thumbnail_bytes,"
                + " created_at, params_json) VALUES (:img, :id, 0, 1, 512, 512, 'image/png', :size, 0, :at, :params)")
        .bind("img", UUID.randomUUID().toString())
        .bind("id", id)
        .bind("size", imageBytes)
        .bind("at", at)
        .bind(
            "params",
            "{\"model\":\"general_v2.0\",\"prompt\":\"still running\",\"negative_prompt\":\"\",\"width\":512,"
                + "\"height\":512,\"steps\":null,\"scale\":null,\"options\":{}}")
        .then()
        .block();
    return id;
  }
}
