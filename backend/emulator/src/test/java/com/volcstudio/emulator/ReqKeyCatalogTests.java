package com.volcstudio.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every generating req_key of docs/volcengine/PROTOCOL.md §3.3 generates at a size its rules accept
 * and refuses one they do not (the editing keys: {@link ImageEditTests}).
 */
class ReqKeyCatalogTests {

  private static final VisualHarness visual = new VisualHarness();

  static Stream<String> reqKeys() {
    return ReqKeyCatalog.all().stream()
        .filter(spec -> spec.edit() == EditKind.NONE)
        .map(ReqKeySpec::reqKey);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reqKeys")
  void generatesAtAValidSize(String reqKey) throws Exception {
    ReqKeySpec spec = ReqKeyCatalog.find(reqKey).orElseThrow();
    OutputSize size = spec.size().example();
    VisualHarness.Answer answer = generate(spec, body(spec, size));

    assertThat(answer.code()).as(answer.body().toString()).isEqualTo(10000);
    BufferedImage image =
        OfficialSdkTests.decode(
            answer.body().path("data").path("binary_data_base64").get(0).asString());
    OutputSize expected =
        spec.size() instanceof SizeRule.FollowInput ? new OutputSize(512, 341) : size;
    assertThat(new OutputSize(image.getWidth(), image.getHeight())).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reqKeys")
  void refusesAnInvalidSizeOrMissingImage(String reqKey) {
    ReqKeySpec spec = ReqKeyCatalog.find(reqKey).orElseThrow();
    Map<String, Object> body = body(spec, spec.size().invalidExample());
    int expected = 50200;
    if (spec.size() instanceof SizeRule.FollowInput) {
      body.remove("binary_data_base64");
      expected = 50206;
    }
    VisualHarness.Answer answer = generate(spec, body);

    assertThat(answer.code()).as(answer.body().toString()).isEqualTo(expected);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().get("data").isNull()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reqKeys")
  void answersAnotherActionThanItsOwnWith50200(String reqKey) {
    ReqKeySpec spec = ReqKeyCatalog.find(reqKey).orElseThrow();
    String other =
        spec.servedBy(VisualAction.CV_PROCESS) || spec.servedBy(VisualAction.SMART_DRAWING)
            ? (spec.servedBy(VisualAction.ASYNC) ? null : "CVSync2AsyncSubmitTask")
            : "CVProcess";
    if (other == null) {
      return;
    }
    assertThat(visual.call(other, body(spec, spec.size().example())).code()).isEqualTo(50200);
  }

  /**
   * Sync req_keys through their action; async ones submitted and fetched (latency 0: done at once).
   */
  private static VisualHarness.Answer generate(ReqKeySpec spec, Map<String, Object> body) {
    if (spec.servedBy(VisualAction.CV_PROCESS)) {
      return visual.call("CVProcess", body);
    }
    if (spec.servedBy(VisualAction.SMART_DRAWING)) {
      return visual.call("HighAesSmartDrawing", body);
    }
    VisualHarness.Answer submitted = visual.call("CVSync2AsyncSubmitTask", body);
    if (submitted.code() != 10000) {
      return submitted;
    }
    return visual.call(
        "CVSync2AsyncGetResult",
        Map.of(
            "req_key",
            spec.reqKey(),
            "task_id",
            submitted.body().path("data").path("task_id").asString(),
            "req_json",
            "{}"));
  }

  private static Map<String, Object> body(ReqKeySpec spec, OutputSize size) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("req_key", spec.reqKey());
    body.put("prompt", "a paper boat on a pond");
    body.put("seed", 3);
    body.put("width", size.width());
    body.put("height", size.height());
    for (ParamRule rule : spec.params()) {
      if (rule.name().equals("use_sr")) {
        body.put("use_sr", false);
      }
      if (rule.required() && !rule.allowed().isEmpty()) {
        body.put(rule.name(), rule.allowed().get(0));
      }
    }
    if (spec.inputs().min() > 0) {
      body.put(
          "binary_data_base64",
          java.util.List.of(Base64.getEncoder().encodeToString(png(300, 200))));
    }
    return body;
  }

  private static byte[] png(int width, int height) {
    try {
      return ArkImagesTests.png(width, height);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
