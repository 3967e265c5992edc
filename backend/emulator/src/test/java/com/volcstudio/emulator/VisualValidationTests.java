package com.volcstudio.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Parameter checks answer the common codes of docs/volcengine/PROTOCOL.md §5.2 with HTTP 400 and
 * {@code data: null}.
 */
class VisualValidationTests {

  private final VisualHarness visual = new VisualHarness();

  @Test
  void aMissingPromptIs50201() {
    assertThat(visual.call("CVProcess", Map.of("req_key", "high_aes_general_v20_L")).code())
        .isEqualTo(50201);
  }

  @Test
  void aMissingRequiredModelVersionIs50201() {
    assertThat(
            visual
                .call("CVProcess", Map.of("req_key", "high_aes_general_v20", "prompt", "cat"))
                .code())
        .isEqualTo(50201);
  }

  @Test
  void aWidthOfTheWrongTypeIs50204() {
    assertThat(
            visual
                .call(
                    "CVProcess",
                    Map.of("req_key", "high_aes_general_v20_L", "prompt", "cat", "width", "512"))
                .code())
        .isEqualTo(50204);
  }

  @Test
  void aScaleOutOfItsRangeIs50200() {
    assertThat(
            visual
                .call(
                    "CVSync2AsyncSubmitTask",
                    Map.of("req_key", "jimeng_t2i_v40", "prompt", "cat", "scale", 2))
                .code())
        .isEqualTo(50200);
  }

  @Test
  void jimeng31UsesTheDefaultSizeUnlessBothSidesAreSent() {
    var submitted =
        visual.call(
            "CVSync2AsyncSubmitTask",
            Map.of("req_key", "jimeng_t2i_v31", "prompt", "cat", "width", 100));
    assertThat(submitted.code()).isEqualTo(10000);
  }

  @Test
  void jimeng31RefusesAnAspectBeyondThreeToOne() {
    assertThat(
            visual
                .call(
                    "CVSync2AsyncSubmitTask",
                    Map.of(
                        "req_key", "jimeng_t2i_v31", "prompt", "cat", "width", 2048, "height", 600))
                .code())
        .isEqualTo(50200);
  }

  @Test
  void jimeng40RefusesARatioOutsideItsOwnMinAndMax() {
    assertThat(
            visual
                .call(
                    "CVSync2AsyncSubmitTask",
                    Map.of(
                        "req_key",
                        "jimeng_t2i_v40",
                        "prompt",
                        "cat",
                        "width",
                        2048,
                        "height",
                        1024,
                        "max_ratio",
                        1.5))
                .code())
        .isEqualTo(50200);
    assertThat(
            visual
                .call(
                    "CVSync2AsyncSubmitTask",
                    Map.of("req_key", "jimeng_t2i_v40", "prompt", "cat", "size", 1000))
                .code())
        .isEqualTo(50200);
  }

  @Test
  void jimeng40ReturnsSeveralImagesWhenAskedUnlessForcedSingle() {
    var many =
        result(
            "jimeng_t2i_v40",
            Map.of("req_key", "jimeng_t2i_v40", "prompt", "__images_3__ cats", "size", 1048576));
    var single =
        result(
            "jimeng_t2i_v40",
            Map.of(
                "req_key",
                "jimeng_t2i_v40",
                "prompt",
                "__images_3__ cats",
                "size",
                1048576,
                "force_single",
                true));
    assertThat(many.body().path("data").path("binary_data_base64")).hasSize(3);
    assertThat(single.body().path("data").path("binary_data_base64")).hasSize(1);
  }

  @Test
  void imageProblemsAnswerTheImageCodes() {
    Map<String, Object> body =
        new LinkedHashMap<>(Map.of("req_key", "jimeng_i2i_v30", "prompt", "make it winter"));
    assertThat(visual.call("CVSync2AsyncSubmitTask", body).code()).as("no image").isEqualTo(50206);

    body.put("binary_data_base64", List.of("data:image/png;base64,iVBORw0KGgo="));
    assertThat(visual.call("CVSync2AsyncSubmitTask", body).code())
        .as("data-URI prefix")
        .isEqualTo(50207);

    body.put(
        "binary_data_base64",
        List.of(Base64.getEncoder().encodeToString("not an image".getBytes())));
    assertThat(visual.call("CVSync2AsyncSubmitTask", body).code())
        .as("not an image")
        .isEqualTo(50207);

    body.put("binary_data_base64", List.of(png(1000, 200)));
    assertThat(visual.call("CVSync2AsyncSubmitTask", body).code())
        .as("aspect 5:1")
        .isEqualTo(50205);

    body.put("binary_data_base64", List.of(png(300, 200), png(300, 200)));
    assertThat(visual.call("CVSync2AsyncSubmitTask", body).code())
        .as("two images")
        .isEqualTo(50200);
  }

  @Test
  void anOverLongPromptIsAcceptedAndFailsWith50215() {
    var answer =
        result("jimeng_t2i_v31", Map.of("req_key", "jimeng_t2i_v31", "prompt", "猫".repeat(801)));
    assertThat(answer.code()).isEqualTo(50215);
  }

  @Test
  void aBadReqJsonIs50204() {
    var submitted =
        visual.call("CVSync2AsyncSubmitTask", Map.of("req_key", "jimeng_t2i_v31", "prompt", "cat"));
    String id = submitted.body().path("data").path("task_id").asString();
    assertThat(
            visual
                .call(
                    "CVSync2AsyncGetResult",
                    Map.of("req_key", "jimeng_t2i_v31", "task_id", id, "req_json", "{oops"))
                .code())
        .isEqualTo(50204);
  }

  @Test
  void aigcMetaWithoutProducerIdIs50201() {
    assertThat(
            visual
                .call(
                    "CVProcess",
                    Map.of(
                        "req_key",
                        "high_aes_general_v20_L",
                        "prompt",
                        "cat",
                        "aigc_meta",
                        Map.of("content_producer", "me")))
                .code())
        .isEqualTo(50201);
  }

  private VisualHarness.Answer result(String reqKey, Map<String, Object> body) {
    var submitted = visual.call("CVSync2AsyncSubmitTask", body);
    assertThat(submitted.code()).isEqualTo(10000);
    return visual.call(
        "CVSync2AsyncGetResult",
        Map.of(
            "req_key",
            reqKey,
            "task_id",
            submitted.body().path("data").path("task_id").asString()));
  }

  private static String png(int width, int height) {
    try {
      return Base64.getEncoder().encodeToString(ArkImagesTests.png(width, height));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
