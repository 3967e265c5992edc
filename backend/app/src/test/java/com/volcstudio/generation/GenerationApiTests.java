package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.config.StudioProperties;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

/** The whole path in demo mode: HTTP in, the emulator over loopback, images on disk, events out. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "DEMO_LATENCY=50ms"})
@AutoConfigureWebTestClient
class GenerationApiTests {

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;
  @Autowired StudioProperties properties;

  @Test
  void theProposalsExampleRequestProducesAnImageOfTheRequestedSize() throws Exception {
    Map<String, Object> accepted =
        TaskPolling.submit(
            http,
            Map.of(
                "prompt",
                "一只可爱的猫咪在阳光下",
                "model",
                "general_v2.0",
                "width",
                1024,
                "height",
                1024,
                "num_images",
                1,
                "steps",
                20,
                "scale",
                7.5,
                "negative_prompt",
                ""));
    assertThat(accepted.get("status")).isEqualTo("pending");
    assertThat((String) accepted.get("created_at")).endsWith("Z");

    Map<String, Object> task = TaskPolling.awaitTerminal(http, (String) accepted.get("task_id"));
    assertThat(task.get("status")).isEqualTo("completed");
    assertThat(task.get("progress")).isEqualTo(100);
    assertThat((String) task.get("completed_at")).endsWith("Z");
    List<Map<String, Object>> images = TaskPolling.images(task);
    assertThat(images).hasSize(1);

    byte[] png =
        http.get()
            .uri((String) images.get(0).get("url"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType(MediaType.IMAGE_PNG)
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isEqualTo(1024);
    assertThat(image.getHeight()).isEqualTo(1024);

    byte[] thumbnail =
        http.get()
            .uri((String) images.get(0).get("thumbnail_url"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType(MediaType.IMAGE_JPEG)
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    assertThat(ImageIO.read(new ByteArrayInputStream(thumbnail)).getWidth()).isEqualTo(384);
    assertThat(thumbnail.length).isLessThan(png.length / 5);

    assertThat(
            Files.list(properties.imagesDir()).filter(p -> p.toString().endsWith(".png")).count())
        .isPositive();
    assertThat(properties.dataDir().resolve("db/studio.mv.db")).exists();
  }

  @Test
  void seedream5sLosslessOptionStoresAPng() {
    Map<String, Object> accepted =
        TaskPolling.submit(
            http,
            Map.of(
                "prompt",
                "一只可爱的猫咪",
                "model",
                "seedream_5.0_flash",
                "width",
                1024,
                "height",
                1024,
                "options",
                Map.of("png_output", true)));
    Map<String, Object> task = TaskPolling.awaitTerminal(http, (String) accepted.get("task_id"));
    assertThat(task).as("%s", task).containsEntry("status", "completed");
    String url = (String) TaskPolling.images(task).get(0).get("url");
    http.get().uri(url).exchange().expectStatus().isOk().expectHeader().contentType("image/png");
  }

  @Test
  void seedream5ProMakesATransparentBackgroundFromOneTransparentPngAndNeedsThatOne()
      throws Exception {
    BufferedImage layer = new BufferedImage(256, 256, BufferedImage.TYPE_INT_ARGB);
    java.awt.Graphics2D g = layer.createGraphics();
    g.setColor(java.awt.Color.ORANGE);
    g.fillOval(64, 64, 128, 128);
    g.dispose();
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    ImageIO.write(layer, "png", png);
    String upload = com.volcstudio.upload.TestUploads.upload(http, png.toByteArray());
    Map<String, Object> asked =
        Map.of(
            "prompt",
            "一只玻璃杯",
            "model",
            "seedream_5.0_pro",
            "width",
            1024,
            "height",
            1024,
            "options",
            Map.of("transparent_background", true));

    TaskPolling.expectFieldError(
        http,
        "{\"prompt\":\"x\",\"model\":\"seedream_5.0_pro\",\"options\":{\"transparent_background\":true}}",
        "reference_image_ids");
    Map<String, Object> body = new java.util.HashMap<>(asked);
    body.put("reference_image_ids", List.of(upload));
    Map<String, Object> task =
        TaskPolling.awaitTerminal(http, (String) TaskPolling.submit(http, body).get("task_id"));

    assertThat(task).as("%s", task).containsEntry("status", "completed");
    byte[] result =
        http.get()
            .uri((String) TaskPolling.images(task).get(0).get("url"))
            .exchange()
            .expectHeader()
            .contentType(MediaType.IMAGE_PNG)
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(result));
    assertThat(image.getColorModel().hasAlpha()).isTrue();
    assertThat(image.getRGB(2, 2) >>> 24).isZero();
  }

  @Test
  void onlyThePromptIsRequiredAndEveryOtherFieldDefaultsFromTheModel() {
    Map<String, Object> accepted = TaskPolling.submit(http, Map.of("prompt", "一只可爱的猫咪在阳光下"));
    Map<String, Object> task = TaskPolling.awaitTerminal(http, (String) accepted.get("task_id"));
    assertThat(task)
        .containsEntry("status", "completed")
        .containsEntry("model", "general_v2.0")
        .containsEntry("width", 1024)
        .containsEntry("height", 1024)
        .containsEntry("num_images", 1);
  }

  @Test
  void severalImagesAreGeneratedWithConsecutiveSeeds() {
    Map<String, Object> accepted =
        TaskPolling.submit(
            http,
            Map.of(
                "prompt", "a red fox", "num_images", 2, "seed", 100, "width", 512, "height", 512));
    Map<String, Object> task = TaskPolling.awaitTerminal(http, (String) accepted.get("task_id"));
    assertThat(TaskPolling.images(task))
        .extracting(i -> ((Number) i.get("seed")).longValue())
        .containsExactly(100L, 101L);
  }

  @Test
  void aModelOptionIsSentAndRecordedWithTheTask() {
    Map<String, Object> accepted =
        TaskPolling.submit(
            http,
            Map.of(
                "prompt",
                "a quiet harbour",
                "model",
                "general_v2.0_pro",
                "width",
                512,
                "height",
                512,
                "options",
                Map.of("use_pre_llm", true)));
    Map<String, Object> task = TaskPolling.awaitTerminal(http, (String) accepted.get("task_id"));
    assertThat(task)
        .containsEntry("status", "completed")
        .containsEntry("options", Map.of("use_pre_llm", true));
  }

  @Test
  void rejectsAnOptionTheModelDoesNotHave() {
    TaskPolling.expectFieldError(
        http, "{\"prompt\":\"cat\",\"options\":{\"use_pre_llm\":true}}", "options.use_pre_llm");
  }

  @Test
  void streamsASnapshotThenProgressUntilTheTaskCompletes() {
    Map<String, Object> accepted =
        TaskPolling.submit(http, Map.of("prompt", "星空下的灯塔", "width", 512, "height", 512));
    var events =
        http.mutate()
            .responseTimeout(Duration.ofSeconds(30))
            .build()
            .get()
            .uri("/api/v1/task/{id}/events", accepted.get("task_id"))
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {})
            .getResponseBody()
            .filter(event -> event.event() != null);
    StepVerifier.create(events.map(ServerSentEvent::event).collectList())
        .assertNext(
            types -> {
              assertThat(types.get(0)).isEqualTo("task.snapshot");
              assertThat(types.get(types.size() - 1)).isEqualTo("task.completed");
              assertThat(types).contains("task.image");
            })
        .verifyComplete();
  }

  @Test
  void aModerationRejectionFailsTheTaskWithAnExplanationInBothLanguages() {
    Map<String, Object> accepted =
        TaskPolling.submit(http, Map.of("prompt", "__fault_50412__ something"));
    Map<String, Object> task = TaskPolling.awaitTerminal(http, (String) accepted.get("task_id"));
    assertThat(task.get("status")).isEqualTo("failed");
    @SuppressWarnings("unchecked")
    Map<String, Object> error = (Map<String, Object>) task.get("error");
    assertThat(error).containsEntry("code", "50412").containsEntry("retryable", false);
    assertThat((String) error.get("message_zh")).contains("审核");
    assertThat((String) error.get("message_en")).contains("moderation");
    assertThat(task.get("attempts")).isEqualTo(1);
  }

  private String prometheus() {
    return http.get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  @Test
  void businessMetricsAreExposedForPrometheus() throws InterruptedException {
    TaskPolling.awaitTerminal(
        http,
        (String)
            TaskPolling.submit(http, Map.of("prompt", "count me", "width", 512, "height", 512))
                .get("task_id"));
    TaskPolling.awaitTerminal(
        http,
        (String)
            TaskPolling.submit(http, Map.of("prompt", "__fault_50412__ count me too"))
                .get("task_id"));
    // A quota answer costs nothing: it is retried (after a short pause) until the task's deadline,
    // each retry counted. This one would go on for hours, so it is cancelled once counted.
    String limited =
        (String)
            TaskPolling.submit(http, Map.of("prompt", "__fault_50429__ and me")).get("task_id");
    String metrics = "";
    for (int i = 0; i < 100 && !metrics.contains("code=\"50429\""); i++) {
      Thread.sleep(100);
      metrics = prometheus();
    }
    http.post().uri("/api/v1/task/{id}/cancel", limited).exchange().expectStatus().isOk();
    assertThat(metrics)
        .contains("studio_tasks_total{model=\"general_v2.0\",status=\"completed\"}")
        .contains("studio_tasks_total{model=\"general_v2.0\",status=\"failed\"}")
        .contains(
            "studio_upstream_errors_total{code=\"50412\",model=\"general_v2.0\",retryable=\"false\"}")
        .contains("studio_upstream_retries_total{code=\"50429\",provider=\"visual\"}")
        .contains("studio_upstream_latency_seconds_count{model=\"general_v2.0\"}")
        .contains("studio_images_stored_bytes_count")
        .contains("studio_queue_waiting")
        .contains("studio_queue_running");
  }

  @Test
  void rejectsABlankPromptNamingTheField() {
    TaskPolling.expectFieldError(http, "{\"prompt\":\"   \"}", "prompt");
  }

  @Test
  void rejectsAMissingPrompt() {
    TaskPolling.expectFieldError(http, "{\"model\":\"general_v2.0\"}", "prompt");
  }

  @Test
  void rejectsAnUnknownModel() {
    TaskPolling.expectFieldError(http, "{\"prompt\":\"cat\",\"model\":\"dalle_9\"}", "model");
  }

  @Test
  void rejectsASizeOutsideTheModelsRange() {
    TaskPolling.expectFieldError(
        http, "{\"prompt\":\"cat\",\"width\":4096,\"height\":1024}", "width");
  }

  @Test
  void rejectsASizeTheModelCannotReach() {
    // 1001 is beyond the native 680 and odd, so super-resolution cannot reach it either.
    TaskPolling.expectFieldError(
        http, "{\"prompt\":\"cat\",\"width\":1001,\"height\":1000}", "width");
  }

  @Test
  void rejectsTooManyImages() {
    TaskPolling.expectFieldError(http, "{\"prompt\":\"cat\",\"num_images\":9}", "num_images");
  }

  @Test
  void rejectsPromptLongerThanModelLimit() {
    TaskPolling.expectFieldError(http, "{\"prompt\":\"" + "猫".repeat(801) + "\"}", "prompt");
  }

  @Test
  void rejectsANegativePromptForAModelThatTakesNone() {
    TaskPolling.expectFieldError(
        http, "{\"prompt\":\"cat\",\"negative_prompt\":\"dogs\"}", "negative_prompt");
  }

  @Test
  void rejectsStepsForAModelWithoutThatParameter() {
    TaskPolling.expectFieldError(
        http, "{\"prompt\":\"cat\",\"model\":\"general_v3.0\",\"steps\":20}", "steps");
  }

  @Test
  void rejectsAnOutOfRangeScale() {
    TaskPolling.expectFieldError(http, "{\"prompt\":\"cat\",\"scale\":99}", "scale");
  }

  @Test
  void rejectsAnUnknownFieldInsteadOfDroppingIt() {
    TaskPolling.expectFieldError(http, "{\"prompt\":\"cat\",\"sampler\":\"euler\"}", "sampler");
  }

  @Test
  void rejectsAFieldOfTheWrongType() {
    TaskPolling.expectFieldError(http, "{\"prompt\":\"cat\",\"width\":\"wide\"}", "width");
  }

  @Test
  void rejectsMalformedJson() {
    TaskPolling.expectFieldError(http, "{\"prompt\": ", "body");
  }

  @Test
  void storesNothingForARejectedRequest() {
    long before = countTasks();
    TaskPolling.expectFieldError(http, "{\"prompt\":\"\",\"num_images\":0}", "prompt");
    assertThat(countTasks()).isEqualTo(before);
  }

  @Test
  void anUnknownTaskIsANotFoundProblem() {
    http.get()
        .uri("/api/v1/task/00000000-0000-0000-0000-000000000000")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(404);
    http.get().uri("/api/v1/task/not-a-task-id/events").exchange().expectStatus().isNotFound();
  }

  @Test
  void anUnknownImageIsANotFoundProblem() {
    http.get()
        .uri("/api/v1/images/00000000-0000-0000-0000-000000000000")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    http.get()
        .uri("/api/v1/images/..%2F..%2Fetc%2Fpasswd/thumbnail")
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  private long countTasks() {
    return db.sql("SELECT COUNT(*) AS n FROM generation_task")
        .map(row -> row.get("n", Long.class))
        .one()
        .block();
  }
}
