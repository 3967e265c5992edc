package com.volcstudio.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.volcengine.service.visual.IVisualService;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The official Java SDK, unchanged but for host and scheme, accepts the emulator as VolcEngine. */
class OfficialSdkTests {

  private static VolcEmulator emulator;

  @BeforeAll
  static void start() {
    emulator = VolcEmulator.start(OfficialSdk.settings(Duration.ofMillis(300)));
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void cvProcessAnswersAnImageOfTheRequestedSize() throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("req_key", "high_aes_general_v20_L");
    body.put("prompt", "一只橘猫");
    body.put("width", 512);
    body.put("height", 384);
    body.put("use_sr", true);
    body.put("seed", 5);
    JsonNode answer = OfficialSdk.tree(OfficialSdk.pointedAt(emulator).cvProcess(body));

    assertThat(answer.path("code").asInt()).isEqualTo(10000);
    BufferedImage image = decode(answer.path("data").path("binary_data_base64").get(0).asString());
    assertThat(image.getWidth()).isEqualTo(1024);
    assertThat(image.getHeight()).isEqualTo(768);
  }

  /**
   * The SDK's editing methods send every field of their request classes, zeros included ({@code
   * steps: 0}, {@code seed: 0.0}, {@code max_width: 0.0}): the service takes those as "the
   * default", and so does the emulator.
   */
  @Test
  void theSdksInpaintingOutpaintingAndSaliencyMethodsAreServedByTheirOwnActions() throws Exception {
    IVisualService sdk = OfficialSdk.pointedAt(emulator);
    String source = ImageEditTests.base64(ImageEditTests.image(400, 300, java.awt.Color.WHITE));
    String mask = ImageEditTests.base64(ImageEditTests.grayMask(400, 300));

    var inpainting =
        new com.volcengine.service.visual.model.request.VisualImg2ImgInpaintingRequest();
    inpainting.setReqKey("i2i_inpainting");
    inpainting.setBinary_data_base64(new java.util.ArrayList<>(java.util.List.of(source, mask)));
    JsonNode erased = OfficialSdk.tree(sdk.img2ImgInpainting(inpainting));

    var outpainting =
        new com.volcengine.service.visual.model.request.VisualImg2ImgOutpaintingRequest();
    outpainting.setReqKey("i2i_outpainting");
    outpainting.setBinary_data_base64(new java.util.ArrayList<>(java.util.List.of(source)));
    outpainting.setCustomPrompt("草地");
    outpainting.setLeft(0.5);
    outpainting.setRight(0.5);
    JsonNode extended = OfficialSdk.tree(sdk.Img2ImgOutpainting(outpainting));

    JsonNode cut =
        OfficialSdk.tree(
            sdk.saliencySeg(
                Map.of(
                    "req_key",
                    "saliency_seg",
                    "binary_data_base64",
                    java.util.List.of(source),
                    "only_mask",
                    3,
                    "rgb",
                    java.util.List.of(-1, -1, -1))));

    assertThat(erased.path("code").asInt()).as(erased.toString()).isEqualTo(10000);
    // The typed responses name their fields as Java properties.
    assertThat(decode(erased.path("data").path("binaryDataBase64").get(0).asString()).getWidth())
        .isEqualTo(400);
    assertThat(extended.path("code").asInt()).as(extended.toString()).isEqualTo(10000);
    assertThat(decode(extended.path("data").path("binaryDataBase64").get(0).asString()).getWidth())
        .isEqualTo(800);
    assertThat(cut.path("code").asInt()).as(cut.toString()).isEqualTo(10000);
    assertThat(
            decode(cut.path("data").path("binary_data_base64").get(0).asString())
                .getColorModel()
                .hasAlpha())
        .isTrue();
  }

  @Test
  void anAsyncTaskIsSubmittedPolledUntilDoneAndHasTheRequestedSize() throws Exception {
    IVisualService sdk = OfficialSdk.pointedAt(emulator);
    JsonNode submitted =
        OfficialSdk.tree(
            sdk.cvSync2AsyncSubmitTask(
                Map.of(
                    "req_key",
                    "jimeng_t2i_v31",
                    "prompt",
                    "a lighthouse at dusk",
                    "width",
                    1472,
                    "height",
                    1104,
                    "seed",
                    9)));
    String taskId = submitted.path("data").path("task_id").asString();
    assertThat(taskId).containsOnlyDigits();

    JsonNode result = null;
    String status = "";
    for (int i = 0; i < 50 && !status.equals("done"); i++) {
      result =
          OfficialSdk.tree(
              sdk.cvSync2AsyncGetResult(
                  Map.of(
                      "req_key",
                      "jimeng_t2i_v31",
                      "task_id",
                      taskId,
                      "req_json",
                      OfficialSdk.reqJson(Map.of("return_url", false)))));
      status = result.path("data").path("status").asString();
      assertThat(status).isIn("in_queue", "generating", "done");
      Thread.sleep(50);
    }

    assertThat(status).isEqualTo("done");
    BufferedImage image = decode(result.path("data").path("binary_data_base64").get(0).asString());
    assertThat(image.getWidth()).isEqualTo(1472);
    assertThat(image.getHeight()).isEqualTo(1104);
  }

  @Test
  void cancelTaskEndsAQueuedTask() throws Exception {
    IVisualService sdk = OfficialSdk.pointedAt(emulator);
    String taskId =
        OfficialSdk.tree(
                sdk.cvSync2AsyncSubmitTask(Map.of("req_key", "jimeng_t2i_v31", "prompt", "rain")))
            .path("data")
            .path("task_id")
            .asString();

    JsonNode cancelled =
        OfficialSdk.tree(sdk.cvCancelTask(Map.of("req_key", "jimeng_t2i_v31", "task_id", taskId)));
    JsonNode after =
        OfficialSdk.tree(
            sdk.cvSync2AsyncGetResult(Map.of("req_key", "jimeng_t2i_v31", "task_id", taskId)));

    assertThat(cancelled.path("code").asInt()).isEqualTo(10000);
    assertThat(cancelled.path("data").path("status").asString()).isEqualTo("cancelled");
    assertThat(after.path("data").path("status").asString()).isEqualTo("not_found");
  }

  @Test
  void aWrongSecretKeyGivesTheSdksExceptionCarryingSignatureDoesNotMatch() {
    IVisualService sdk = OfficialSdk.pointedAt(emulator, "bm90LXRoZS1zZWNyZXQ=");
    assertThatThrownBy(
            () -> sdk.cvProcess(Map.of("req_key", "high_aes_general_v20_L", "prompt", "cat")))
        .hasMessageContaining("SignatureDoesNotMatch");
  }

  @Test
  void anAsyncOnlyReqKeyThroughCvProcessIsAnInvalidArgument() {
    IVisualService sdk = OfficialSdk.pointedAt(emulator);
    assertThatThrownBy(() -> sdk.cvProcess(Map.of("req_key", "jimeng_t2i_v31", "prompt", "cat")))
        .hasMessageContaining("50200")
        .hasMessageContaining("CVSync2AsyncSubmitTask");
  }

  static BufferedImage decode(String base64) throws Exception {
    return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
  }
}
