package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.upload.TestImages;
import com.volcstudio.upload.TestUploads;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Generate with reference images, presets and styles, through the emulator (which checks the images
 * it is sent the way the service does), and idempotent batches.
 */
@SharedDemoStudio
class ReferenceImageTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;

  @Test
  void anImageToImageModelGeneratesFromAnUploadedReference() {
    String upload = upload(TestImages.png(640, 480));
    Map<String, Object> task =
        TaskPolling.awaitTerminal(
            http,
            (String)
                TaskPolling.submit(
                        http,
                        Map.of(
                            "prompt",
                            "make it a watercolour",
                            "model",
                            "jimeng_i2i_v3.0",
                            "reference_image_ids",
                            List.of(upload),
                            "width",
                            1024,
                            "height",
                            1024))
                    .get("task_id"));
    assertThat(task.get("status")).as("%s", task.get("error")).isEqualTo("completed");
    assertThat(task.get("reference_image_ids")).isEqualTo(List.of(upload));
    assertThat(TaskPolling.images(task).get(0)).containsEntry("width", 1024);
  }

  @Test
  void aWebpReferenceReachesTheServiceAsPng() {
    // The emulator, like the service, refuses anything but PNG/JPEG: completing proves the
    // conversion.
    String upload = upload(TestImages.WEBP_1X1);
    Map<String, Object> task =
        TaskPolling.awaitTerminal(
            http,
            (String)
                TaskPolling.submit(
                        http,
                        Map.of(
                            "prompt",
                            "webp in",
                            "model",
                            "jimeng_i2i_v3.0",
                            "reference_image_ids",
                            List.of(upload)))
                    .get("task_id"));
    assertThat(task.get("status")).as("%s", task.get("error")).isEqualTo("completed");
  }

  @Test
  void arkSeedreamTakesSeveralReferencesAsDataUrls() {
    String first = upload(TestImages.png(800, 600));
    String second = upload(TestImages.jpeg(600, 800));
    Map<String, Object> task =
        TaskPolling.awaitTerminal(
            http,
            (String)
                TaskPolling.submit(
                        http,
                        Map.of(
                            "prompt",
                            "combine these",
                            "model",
                            "seedream_4.0",
                            "reference_image_ids",
                            List.of(first, second),
                            "width",
                            2048,
                            "height",
                            2048))
                    .get("task_id"));
    assertThat(task.get("status")).as("%s", task.get("error")).isEqualTo("completed");
  }

  @Test
  void refusesMoreReferencesThanTheModelTakes() {
    String a = upload(TestImages.png(64, 64));
    String b = upload(TestImages.png(64, 64));
    TaskPolling.expectFieldError(
        http,
        """
        {"prompt": "two", "model": "jimeng_i2i_v3.0", "reference_image_ids": ["%s", "%s"]}"""
            .formatted(a, b),
        "reference_image_ids");
  }

  @Test
  void refusesAnImageToImageModelWithoutItsReference() {
    TaskPolling.expectFieldError(
        http,
        """
        {"prompt": "none", "model": "jimeng_i2i_v3.0"}""",
        "reference_image_ids");
  }

  @Test
  void refusesUnknownUploadsAndReferencesToTextOnlyModels() {
    TaskPolling.expectFieldError(
        http,
        """
        {"prompt": "ghost", "model": "jimeng_i2i_v3.0", "reference_image_ids": ["00000000-0000-0000-0000-000000000000"]}""",
        "reference_image_ids[0]");
    TaskPolling.expectFieldError(
        http,
        """
        {"prompt": "traversal", "model": "jimeng_i2i_v3.0", "reference_image_ids": ["../../etc/passwd"]}""",
        "reference_image_ids[0]");
    String upload = upload(TestImages.png(64, 64));
    TaskPolling.expectFieldError(
        http,
        """
        {"prompt": "text only", "model": "general_v2.0", "reference_image_ids": ["%s"]}"""
            .formatted(upload),
        "reference_image_ids");
  }

  @Test
  void refusesAReferenceTooNarrowForTheModel() {
    String strip = upload(TestImages.png(400, 100));
    TaskPolling.expectFieldError(
        http,
        """
        {"prompt": "strip", "model": "jimeng_i2i_v3.0", "reference_image_ids": ["%s"]}"""
            .formatted(strip),
        "reference_image_ids[0]");
  }

  @Test
  void modelsSayWhichTakeReferenceImages() {
    http.get()
        .uri("/api/v1/models")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.models[?(@.id == 'jimeng_i2i_v3.0')].reference_images.min")
        .isEqualTo(1)
        .jsonPath("$.models[?(@.id == 'jimeng_i2i_v3.0')].reference_images.max")
        .isEqualTo(1)
        .jsonPath("$.models[?(@.id == 'seedream_4.0')].reference_images.max")
        .isEqualTo(10)
        .jsonPath("$.models[?(@.id == 'general_v2.0')].reference_images")
        .isEqualTo(java.util.Collections.singletonList(null));
  }

  @Test
  void aPresetFillsInWhatTheRequestLeavesOut() {
    Map<String, Object> preset =
        http.post()
            .uri("/api/v1/presets")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                Map.of(
                    "name",
                    "small and quick",
                    "params",
                    Map.of(
                        "model",
                        "general_v2.0",
                        "width",
                        512,
                        "height",
                        512,
                        "steps",
                        12,
                        "scale",
                        5.0)))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    String presetId = (String) preset.get("id");

    Map<String, Object> task =
        task(
            (String)
                TaskPolling.submit(
                        http, Map.of("prompt", "from a preset", "preset_id", presetId, "steps", 20))
                    .get("task_id"));
    assertThat(task)
        .containsEntry("model", "general_v2.0")
        .containsEntry("width", 512)
        .containsEntry("height", 512)
        .containsEntry("scale", 5.0)
        // the request's own value wins over the preset's
        .containsEntry("steps", 20);

    TaskPolling.expectFieldError(
        http,
        """
        {"prompt": "x", "preset_id": "00000000-0000-0000-0000-000000000000"}""",
        "preset_id");
  }

  @Test
  void aStyleAddsItsPhraseInThePromptsLanguage() {
    Map<String, Object> english =
        task(
            (String)
                TaskPolling.submit(http, Map.of("prompt", "a cat on a roof", "style", "anime"))
                    .get("task_id"));
    assertThat((String) english.get("prompt"))
        .startsWith("a cat on a roof")
        .contains("anime style");
    Map<String, Object> chinese =
        task(
            (String)
                TaskPolling.submit(http, Map.of("prompt", "屋顶上的猫", "style", "ink_painting"))
                    .get("task_id"));
    assertThat((String) chinese.get("prompt")).startsWith("屋顶上的猫").contains("水墨");

    TaskPolling.expectFieldError(
        http,
        """
        {"prompt": "x", "style": "no-such-style"}""",
        "style");
    http.get()
        .uri("/api/v1/styles")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[?(@.id == 'photorealistic')].name.zh")
        .isEqualTo(List.of("写实摄影"));
  }

  @Test
  void aRepeatedBatchWithTheSameIdempotencyKeyIsTheSameBatch() {
    Map<String, Object> body =
        Map.of("prompts", List.of("one", "two", "three"), "width", 512, "height", 512);
    Map<String, Object> first = batch(body, "batch-key-1", 202);
    Map<String, Object> again = batch(body, "batch-key-1", 202);
    assertThat(again).isEqualTo(first);
    long stored =
        db.sql("SELECT COUNT(*) AS n FROM generation_task WHERE batch_id = :b")
            .bind("b", first.get("batch_id"))
            .map(row -> row.get("n", Long.class))
            .one()
            .block();
    assertThat(stored).isEqualTo(3);

    Map<String, Object> other = batch(Map.of("prompts", List.of("different")), "batch-key-1", 400);
    assertThat(other.get("errors")).asString().contains("Idempotency-Key");
  }

  @Test
  void refusesAJsonBodyOverTheCodecLimitWith413() {
    String huge = "{\"prompt\": \"" + "x".repeat(1200 * 1024) + "\"}";
    http.post()
        .uri("/api/v1/generate")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(huge)
        .exchange()
        .expectStatus()
        .isEqualTo(413)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("body");
  }

  private Map<String, Object> batch(Map<String, Object> body, String key, int status) {
    return http.post()
        .uri("/api/v1/generate/batch")
        .contentType(MediaType.APPLICATION_JSON)
        .header("Idempotency-Key", key)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
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

  private String upload(byte[] bytes) {
    return TestUploads.upload(http, bytes);
  }
}
