package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.catalog.Operations;
import com.volcstudio.upload.TestUploads;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code POST /api/v1/edits} end to end in demo mode: each operation through the emulator's editing
 * keys over loopback, its result decoded and measured; lineage through history; and every bad input
 * refused with its field before anything is stored.
 */
@SharedDemoStudio
class EditApiTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;

  @Test
  void upscalingAStoredImageDoublesItAndTheImageListsItsEdits() throws Exception {
    Map<String, Object> generated =
        TaskPolling.awaitTerminal(
            http,
            (String)
                TaskPolling.submit(
                        http,
                        Map.of(
                            "prompt",
                            "a lighthouse",
                            "model",
                            "general_v2.0",
                            "width",
                            512,
                            "height",
                            512))
                    .get("task_id"));
    String imageId = (String) TaskPolling.images(generated).get(0).get("image_id");

    Map<String, Object> task = edit(Map.of("source_image_id", imageId, "operation", "upscale"));

    assertThat(task.get("status")).isEqualTo("completed");
    assertThat(task.get("operation")).isEqualTo("upscale");
    assertThat(task.get("model")).isEqualTo("upscale_2x");
    assertThat(task.get("source_image_id")).isEqualTo(imageId);
    BufferedImage result = image(task);
    assertThat(result.getWidth()).isEqualTo(1024);
    assertThat(result.getHeight()).isEqualTo(1024);
    Map<String, Object> family = TaskPolling.history(http, "source_image_id=" + imageId);
    assertThat(TaskPolling.taskIds(family)).containsExactly((String) task.get("task_id"));
  }

  @Test
  void anUploadTooLargeForTheDefaultUpscalerGoesToTheNextModelOrIsRefusedByName() throws Exception {
    String upload = TestUploads.upload(http, solid(1500, 600, Color.ORANGE));

    Map<String, Object> task = edit(Map.of("source_upload_id", upload, "operation", "upscale"));

    assertThat(task.get("model")).isEqualTo("jimeng_upscale_4k");
    BufferedImage result = image(task);
    assertThat(result.getWidth()).isEqualTo(4096);
    assertThat(result.getHeight()).isEqualTo(1638);
    refused(
        Map.of("source_upload_id", upload, "operation", "upscale", "model", "upscale_2x"),
        "source_upload_id",
        "at most 1024");
  }

  @Test
  void removingTheBackgroundGivesAPngWithTransparency() throws Exception {
    String upload = TestUploads.upload(http, solid(400, 300, Color.GREEN));

    Map<String, Object> task =
        edit(Map.of("source_upload_id", upload, "operation", "remove_background"));

    BufferedImage cut = image(task);
    assertThat(cut.getColorModel().hasAlpha()).isTrue();
    assertThat(cut.getWidth()).isEqualTo(400);
    assertThat(cut.getRGB(1, 1) >>> 24).isZero();
    assertThat(cut.getRGB(200, 150) >>> 24).isEqualTo(255);
  }

  @Test
  void inpaintingWithAPaintedRgbaMaskRepaintsOnlyThePaintedArea() throws Exception {
    String source = TestUploads.upload(http, solid(400, 300, Color.WHITE));
    String mask = TestUploads.upload(http, brushMask(400, 300));

    Map<String, Object> task =
        edit(
            Map.of(
                "source_upload_id",
                source,
                "operation",
                "inpaint",
                "prompt",
                "a red kite",
                "mask_upload_id",
                mask));

    assertThat(task.get("status")).isEqualTo("completed");
    assertThat(task.get("model")).isEqualTo("jimeng_inpaint");
    assertThat(task.get("mask_upload_id")).isEqualTo(mask);
    BufferedImage result = image(task);
    assertThat(result.getWidth()).isEqualTo(400);
    assertThat(near(result.getRGB(50, 150), Color.WHITE)).as("kept").isTrue();
    assertThat(near(result.getRGB(300, 150), Color.WHITE)).as("repainted").isFalse();
  }

  @Test
  void erasingWithABlackAndWhiteMaskFillsTheAreaFromItsSurroundings() throws Exception {
    BufferedImage picture = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = picture.createGraphics();
    g.setColor(new Color(30, 100, 200));
    g.fillRect(0, 0, 400, 300);
    g.setColor(Color.YELLOW);
    g.fillRect(250, 100, 100, 100);
    g.dispose();
    String source = TestUploads.upload(http, png(picture));
    String mask = TestUploads.upload(http, halfWhite(400, 300));

    Map<String, Object> task =
        edit(Map.of("source_upload_id", source, "operation", "erase", "mask_upload_id", mask));

    BufferedImage result = image(task);
    assertThat(near(result.getRGB(300, 150), new Color(30, 100, 200)))
        .as("the yellow square is gone")
        .isTrue();
  }

  @Test
  void outpaintingExtendsTheCanvasBySideFractions() throws Exception {
    String upload = TestUploads.upload(http, solid(400, 300, Color.MAGENTA));

    Map<String, Object> task =
        edit(
            Map.of(
                "source_upload_id",
                upload,
                "operation",
                "outpaint",
                "expand",
                Map.of("left", 0.5, "right", 0.5)));

    BufferedImage result = image(task);
    assertThat(result.getWidth()).isEqualTo(800);
    assertThat(result.getHeight()).isEqualTo(300);
    assertThat(task.get("expand"))
        .isEqualTo(Map.of("top", 0.0, "right", 0.5, "bottom", 0.0, "left", 0.5));
  }

  @Test
  void badEditsAreRefusedWithTheirFieldAndNothingIsStored() throws Exception {
    String source = TestUploads.upload(http, solid(400, 300, Color.WHITE));
    String smallMask = TestUploads.upload(http, halfWhite(200, 150));
    long before = tasks();

    refused(Map.of("source_upload_id", source, "operation", "sharpen"), "operation", "unknown");
    refused(Map.of("source_upload_id", source), "operation", "required");
    refused(Map.of("operation", "upscale"), "source_image_id", "exactly one");
    refused(
        Map.of("source_image_id", "0e0e0e0e-0000-4000-8000-000000000000", "operation", "upscale"),
        "source_image_id",
        "unknown");
    refused(
        Map.of(
            "source_upload_id",
            source,
            "operation",
            "inpaint",
            "mask_upload_id",
            smallMask,
            "prompt",
            "x"),
        "mask_upload_id",
        "same size");
    refused(
        Map.of("source_upload_id", source, "operation", "inpaint", "mask_upload_id", smallMask),
        "prompt",
        "required");
    refused(Map.of("source_upload_id", source, "operation", "erase"), "mask_upload_id", "required");
    refused(
        Map.of("source_upload_id", source, "operation", "outpaint", "expand", Map.of("top", 1.5)),
        "expand.top",
        "[0, 1]");
    refused(
        Map.of("source_upload_id", source, "operation", "upscale", "prompt", "sharper"),
        "prompt",
        "takes no prompt");
    refused(
        Map.of("source_upload_id", source, "operation", "upscale", "model", "general_v2.0"),
        "model",
        "not a model for upscale");
    http.post()
        .uri("/api/v1/generate")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("prompt", "x", "model", "upscale_2x"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("model");

    assertThat(tasks()).isEqualTo(before);
  }

  @Test
  void everyEditingModelCompletesEachOperationItServes() throws Exception {
    String source = TestUploads.upload(http, solid(400, 300, Color.CYAN));
    String mask = TestUploads.upload(http, halfWhite(400, 300));
    ModelCatalog catalog = ModelCatalog.load(java.nio.file.Path.of("target/no-such-data-dir"));
    for (String operation : Operations.EDITS) {
      for (CatalogModel model : catalog.serving(operation)) {
        Map<String, Object> body = new HashMap<>();
        body.put("source_upload_id", source);
        body.put("operation", operation);
        body.put("model", model.id());
        if (operation.equals(Operations.INPAINT)) {
          body.put("prompt", "a paper lantern");
        }
        if (operation.equals(Operations.INPAINT) || operation.equals(Operations.ERASE)) {
          body.put("mask_upload_id", mask);
        }
        if (operation.equals(Operations.OUTPAINT)) {
          body.put("expand", Map.of("top", 0.25));
        }

        Map<String, Object> task = edit(body);

        BufferedImage result = image(task);
        assertThat(result.getWidth())
            .as(model.id() + " " + operation)
            .isEqualTo(((Number) task.get("width")).intValue());
        assertThat(result.getHeight())
            .as(model.id() + " " + operation)
            .isEqualTo(((Number) task.get("height")).intValue());
      }
    }
  }

  @Test
  void theCatalogSaysWhichModelsServeWhichOperationAndTheDefaults() {
    Map<String, Object> body =
        http.get()
            .uri("/api/v1/models")
            .exchange()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();

    assertThat(body.get("operation_defaults"))
        .isEqualTo(
            Map.of(
                "inpaint", "jimeng_inpaint",
                "erase", "jimeng_inpaint",
                "outpaint", "outpainting_v1",
                "upscale", "upscale_2x",
                "remove_background", "saliency_seg"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> models = (List<Map<String, Object>>) body.get("models");
    Map<String, Object> saliency =
        models.stream().filter(m -> m.get("id").equals("saliency_seg")).findFirst().orElseThrow();
    assertThat(saliency.get("operations")).isEqualTo(List.of("remove_background"));
    Map<String, Object> general =
        models.stream().filter(m -> m.get("id").equals("general_v2.0")).findFirst().orElseThrow();
    assertThat(general.get("operations")).isEqualTo(List.of("generate"));
  }

  private Map<String, Object> edit(Map<String, Object> body) {
    Map<String, Object> accepted =
        http.post()
            .uri("/api/v1/edits")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    Map<String, Object> task = TaskPolling.awaitTerminal(http, (String) accepted.get("task_id"));
    assertThat(task.get("status")).as(String.valueOf(task.get("error"))).isEqualTo("completed");
    return task;
  }

  private void refused(Map<String, Object> body, String field, String reason) {
    http.post()
        .uri("/api/v1/edits")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(new HashMap<>(body))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.errors[?(@.field == '" + field + "')].reason")
        .value(reasons -> assertThat(reasons.toString()).contains(reason));
  }

  private long tasks() {
    return db.sql("SELECT COUNT(*) AS n FROM generation_task")
        .map(row -> row.get("n", Long.class))
        .one()
        .block();
  }

  private BufferedImage image(Map<String, Object> task) throws Exception {
    byte[] bytes =
        http.get()
            .uri((String) TaskPolling.images(task).get(0).get("url"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    return ImageIO.read(new ByteArrayInputStream(bytes));
  }

  private static byte[] solid(int width, int height, Color colour) throws Exception {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return png(image);
  }

  /** White on the right half: the area to work on. */
  private static byte[] halfWhite(int width, int height) throws Exception {
    BufferedImage mask = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = mask.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(width / 2, 0, width - width / 2, height);
    g.dispose();
    return png(mask);
  }

  /** What a brush leaves on a transparent layer: opaque (any colour) where painted. */
  private static byte[] brushMask(int width, int height) throws Exception {
    BufferedImage mask = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = mask.createGraphics();
    g.setColor(new Color(255, 60, 60, 255));
    g.fillRect(width / 2, 0, width - width / 2, height);
    g.dispose();
    return png(mask);
  }

  private static byte[] png(BufferedImage image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static boolean near(int rgb, Color colour) {
    Color c = new Color(rgb);
    return Math.abs(c.getRed() - colour.getRed()) < 16
        && Math.abs(c.getGreen() - colour.getGreen()) < 16
        && Math.abs(c.getBlue() - colour.getBlue()) < 16;
  }
}
