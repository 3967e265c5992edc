package com.volcstudio.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The editing req_keys (PROTOCOL-2026-12 §1) answer from their input's pixels: sizes derived from
 * the input, transparency where a cut-out has it, the mask's rules checked as the service does.
 */
class ImageEditTests {

  private static final VisualHarness visual = new VisualHarness();

  @Test
  void superResolutionDoublesTheInputAndAnswersPngUnlessAskedForJpeg() throws Exception {
    Map<String, Object> body = body("lens_nnsr2_pic_common", image(300, 260, Color.ORANGE));
    body.put("model_quality", "MQ");

    VisualHarness.Answer png = visual.call("CVProcess", body);
    body.put("result_format", 1);
    VisualHarness.Answer jpeg = visual.call("CVProcess", body);

    assertThat(png.code()).as(png.body().toString()).isEqualTo(10000);
    BufferedImage upscaled = first(png);
    assertThat(upscaled.getWidth()).isEqualTo(600);
    assertThat(upscaled.getHeight()).isEqualTo(520);
    assertThat(new Color(upscaled.getRGB(300, 260))).isEqualTo(Color.ORANGE);
    assertThat(bytes(png)).startsWith(0x89, 'P', 'N', 'G');
    assertThat(bytes(jpeg)).startsWith(0xFF, 0xD8);
  }

  @Test
  void superResolutionRefusesSidesOutside256To1024AndAMissingQuality() throws Exception {
    Map<String, Object> small = body("lens_nnsr2_pic_common", image(200, 400, Color.RED));
    small.put("model_quality", "MQ");
    Map<String, Object> large = body("lens_nnsr2_pic_common", image(1100, 400, Color.RED));
    large.put("model_quality", "MQ");
    Map<String, Object> noQuality = body("lens_nnsr2_pic_common", image(300, 300, Color.RED));

    assertThat(visual.call("CVProcess", small).code()).isEqualTo(50205);
    assertThat(visual.call("CVProcess", large).code()).isEqualTo(50205);
    assertThat(visual.call("CVProcess", noQuality).code()).isEqualTo(50201);
  }

  @Test
  void theTileUpscalerTakesTheLongSideTo4k() throws Exception {
    VisualHarness.Answer answer =
        async(body("jimeng_i2i_seed3_tilesr_cvtob", image(1000, 500, Color.BLUE)));

    BufferedImage result = first(answer);
    assertThat(result.getWidth()).isEqualTo(4096);
    assertThat(result.getHeight()).isEqualTo(2048);
  }

  @Test
  void aCutOutIsAPngWithTransparencyAroundTheSubjectByEitherAction() throws Exception {
    for (String action : List.of("CVProcess", "SaliencySeg")) {
      Map<String, Object> body = body("saliency_seg", image(400, 300, Color.GREEN));
      body.put("only_mask", 3);
      body.put("rgb", List.of(-1, -1, -1));

      VisualHarness.Answer answer = visual.call(action, body);

      assertThat(answer.code()).as(answer.body().toString()).isEqualTo(10000);
      BufferedImage cut = first(answer);
      assertThat(cut.getColorModel().hasAlpha()).isTrue();
      assertThat(cut.getWidth()).isEqualTo(400);
      assertThat(cut.getRGB(2, 2) >>> 24).as("a corner is background").isZero();
      assertThat(cut.getRGB(200, 150)).as("the centre is the subject").isEqualTo(0xff00ff00);
      assertThat(answer.body().path("data").path("bbox").size()).isEqualTo(4);
    }
  }

  @Test
  void aCutOutInModeZeroIsCroppedToItsSubject() throws Exception {
    VisualHarness.Answer answer =
        visual.call("CVProcess", body("saliency_seg", image(400, 300, Color.GREEN)));

    BufferedImage cut = first(answer);
    assertThat(cut.getWidth()).isEqualTo(280);
    assertThat(cut.getHeight()).isEqualTo(210);
  }

  @Test
  void jimengInpaintRepaintsOnlyTheMaskedPartAndKeepsTheRest() throws Exception {
    byte[] source = image(400, 300, Color.WHITE);
    Map<String, Object> body = body(ImageEdit.JIMENG_INPAINT, source, grayMask(400, 300));
    body.put("prompt", "a red kite");

    BufferedImage result = first(async(body));

    assertThat(result.getWidth()).isEqualTo(400);
    assertThat(result.getHeight()).isEqualTo(300);
    assertThat(close(result.getRGB(50, 50), Color.WHITE.getRGB())).as("kept").isTrue();
    assertThat(close(result.getRGB(300, 150), Color.WHITE.getRGB())).as("repainted").isFalse();
  }

  @Test
  void jimengInpaintWithTheEraseInstructionFillsTheMaskFromItsSurroundings() throws Exception {
    byte[] source = image(400, 300, new Color(40, 90, 200));
    Map<String, Object> body = body(ImageEdit.JIMENG_INPAINT, source, grayMask(400, 300));
    body.put("prompt", ImageEdit.ERASE);

    BufferedImage result = first(async(body));

    assertThat(close(result.getRGB(300, 150), new Color(40, 90, 200).getRGB())).isTrue();
  }

  @Test
  void jimengInpaintRefusesAColourMaskAndOneOfAnotherSize() throws Exception {
    byte[] source = image(400, 300, Color.WHITE);
    Map<String, Object> colour = body(ImageEdit.JIMENG_INPAINT, source, image(400, 300, Color.RED));
    colour.put("prompt", "x");
    Map<String, Object> sized = body(ImageEdit.JIMENG_INPAINT, source, grayMask(200, 300));
    sized.put("prompt", "x");
    Map<String, Object> alone = body(ImageEdit.JIMENG_INPAINT, source);
    alone.put("prompt", "x");

    VisualHarness.Answer colourAnswer = visual.call("CVSync2AsyncSubmitTask", colour);
    assertThat(colourAnswer.code()).isEqualTo(50200);
    assertThat(colourAnswer.body().path("message").asString()).contains("single-channel");
    assertThat(visual.call("CVSync2AsyncSubmitTask", sized).body().path("message").asString())
        .contains("same size");
    assertThat(visual.call("CVSync2AsyncSubmitTask", alone).code()).isEqualTo(50206);
  }

  @Test
  void theInpaintingEditKeyWantsCustomPromptAndItsOwnActionServesIt() throws Exception {
    Map<String, Object> body =
        body("i2i_inpainting_edit", image(300, 300, Color.WHITE), grayMask(300, 300));

    assertThat(visual.call("Img2ImgInpaintingEdit", body).code()).isEqualTo(50201);
    body.put("custom_prompt", "a lantern");
    assertThat(visual.call("Img2ImgInpaintingEdit", body).code()).isEqualTo(10000);
  }

  @Test
  void anInpaintingFaultAnswers201304() throws Exception {
    Map<String, Object> body =
        body("i2i_inpainting", image(300, 300, Color.WHITE), grayMask(300, 300));
    body.put("prompt", "__fault_201304__");

    VisualHarness.Answer answer = visual.call("Img2ImgInpainting", body);

    assertThat(answer.code()).isEqualTo(201304);
  }

  @Test
  void outpaintingExtendsTheCanvasBySideFractionsWithinItsMaximum() throws Exception {
    Map<String, Object> body = body("i2i_outpainting", image(400, 300, Color.MAGENTA));
    body.put("left", 0.5);
    body.put("right", 0.5);
    body.put("custom_prompt", "a wider meadow");
    Map<String, Object> capped = new LinkedHashMap<>(body);
    capped.put("max_width", 400);

    BufferedImage wider = first(visual.call("Img2ImgOutpainting", body));
    BufferedImage fitted = first(visual.call("CVProcess", capped));

    assertThat(wider.getWidth()).isEqualTo(800);
    assertThat(wider.getHeight()).isEqualTo(300);
    assertThat(new Color(wider.getRGB(400, 150)))
        .as("the source in the middle")
        .isEqualTo(Color.MAGENTA);
    assertThat(fitted.getWidth()).isEqualTo(400);
    assertThat(fitted.getHeight()).isEqualTo(150);
    body.put("top", 1.5);
    assertThat(visual.call("CVProcess", body).code()).isEqualTo(50200);
  }

  private static VisualHarness.Answer async(Map<String, Object> body) {
    VisualHarness.Answer submitted = visual.call("CVSync2AsyncSubmitTask", body);
    assertThat(submitted.code()).as(submitted.body().toString()).isEqualTo(10000);
    return visual.call(
        "CVSync2AsyncGetResult",
        Map.of(
            "req_key",
            body.get("req_key"),
            "task_id",
            submitted.body().path("data").path("task_id").asString(),
            "req_json",
            "{}"));
  }

  private static Map<String, Object> body(String reqKey, byte[]... images) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("req_key", reqKey);
    body.put(
        "binary_data_base64",
        java.util.Arrays.stream(images).map(Base64.getEncoder()::encodeToString).toList());
    return body;
  }

  private static byte[] bytes(VisualHarness.Answer answer) {
    return Base64.getDecoder()
        .decode(answer.body().path("data").path("binary_data_base64").get(0).asString());
  }

  private static BufferedImage first(VisualHarness.Answer answer) throws Exception {
    assertThat(answer.code()).as(answer.body().toString()).isEqualTo(10000);
    return OfficialSdkTests.decode(
        answer.body().path("data").path("binary_data_base64").get(0).asString());
  }

  static byte[] image(int width, int height, Color colour) throws Exception {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return png(image);
  }

  /** White (repaint) on the right half, black (keep) on the left. */
  static byte[] grayMask(int width, int height) throws Exception {
    BufferedImage mask = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    var g = mask.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(width / 2, 0, width - width / 2, height);
    g.dispose();
    return png(mask);
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] png(BufferedImage image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static boolean close(int a, int b) {
    for (int shift = 0; shift <= 16; shift += 8) {
      if (Math.abs((a >> shift & 0xff) - (b >> shift & 0xff)) > 12) {
        return false;
      }
    }
    return true;
  }
}
