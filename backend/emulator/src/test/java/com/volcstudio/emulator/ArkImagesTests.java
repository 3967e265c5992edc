package com.volcstudio.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Ark's images API on the emulator (docs/volcengine/PROTOCOL.md §6), spoken to as
 * ARK_ENDPOINT=http://127.0.0.1:PORT/api/v3.
 */
class ArkImagesTests {

  private static final String KEY = "ark-tests-key";
  private final HttpClient http = HttpClient.newHttpClient();
  private VolcEmulator emulator;

  @BeforeEach
  void start() {
    emulator = VolcEmulator.start(settings());
  }

  private static EmulatorSettings settings() {
    return EmulatorSettings.loopback(0, "AKLTark", "c2VjcmV0", Duration.ZERO).withArkApiKey(KEY);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void seedream4AnswersAJpegUrlOfTheRequestedSizeWithUsage() throws Exception {
    var response =
        generate(
            KEY,
            """
        {"model":"doubao-seedream-4-0-250828","prompt":"一座雪山","size":"1280x720","watermark":false}""");
    JsonNode body = OfficialSdk.parse(response.body());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body.path("model").asString()).isEqualTo("doubao-seedream-4-0-250828");
    assertThat(body.path("created").asLong()).isPositive();
    assertThat(body.path("data").get(0).path("size").asString()).isEqualTo("1280x720");
    assertThat(body.path("usage").path("generated_images").asInt()).isEqualTo(1);
    assertThat(body.path("usage").path("output_tokens").asInt()).isEqualTo(1280 * 720 / 256);
    assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(1280 * 720 / 256);
    HttpResponse<byte[]> image =
        http.send(
            HttpRequest.newBuilder(URI.create(body.path("data").get(0).path("url").asString()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(image.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    assertThat(decode(image.body()).getWidth()).isEqualTo(1280);
  }

  @Test
  void seedream5LiteSearchesTheWebWhenAskedAndTheOthersRefuseTools() throws Exception {
    var response =
        generate(
            KEY,
            """
        {"model":"doubao-seedream-5-0-lite-260128","prompt":"今年的春晚舞台","size":"2048x2048",
         "tools":[{"type":"web_search"}],"response_format":"b64_json"}""");
    JsonNode body = OfficialSdk.parse(response.body());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body.path("tools").get(0).path("type").asString()).isEqualTo("web_search");
    assertThat(body.path("usage").path("tool_usage").path("web_search").asInt()).isEqualTo(1);
    assertInvalid(
        """
        {"model":"doubao-seedream-5-0-pro-260628","prompt":"a","size":"2048x2048","tools":[{"type":"web_search"}]}""",
        "tools");
    assertInvalid(
        """
        {"model":"doubao-seedream-5-0-pro-260628","prompt":"a","size":"2048x2048","sequential_image_generation":"auto"}""",
        "sequential_image_generation");
  }

  @Test
  void theSeedream5FamilyAnswersPngWhenAskedAnd45StaysJpeg() throws Exception {
    assertThat(pngAskedOf("doubao-seedream-5-0-pro-260628")).startsWith(0x89, 'P', 'N', 'G');
    assertThat(pngAskedOf("doubao-seedream-4-5-251128")).startsWith(0xFF, 0xD8);
    assertInvalid(
        """
        {"model":"doubao-seedream-5-0-pro-260628","prompt":"a","size":"2048x2048","output_format":"webp"}""",
        "output_format");
  }

  /** The first image {@code model} answers when asked for {@code output_format: png}. */
  private byte[] pngAskedOf(String model) throws Exception {
    String ask =
        """
        {"model":"%s","prompt":"一只猫","size":"2048x2048","output_format":"png","response_format":"b64_json"}"""
            .formatted(model);
    return java.util.Base64.getDecoder()
        .decode(
            OfficialSdk.parse(generate(KEY, ask).body())
                .path("data")
                .get(0)
                .path("b64_json")
                .asString());
  }

  @Test
  void seedream3AnswersBase64WhenAskedAndHasNoSizeField() throws Exception {
    JsonNode body =
        OfficialSdk.parse(
            generate(
                    KEY,
                    """
        {"model":"doubao-seedream-3-0-t2i-250415","prompt":"cat","size":"864x1152","seed":7,"guidance_scale":2.5,
         "response_format":"b64_json"}""")
                .body());

    BufferedImage image =
        decode(Base64.getDecoder().decode(body.path("data").get(0).path("b64_json").asString()));
    assertThat(image.getWidth()).isEqualTo(864);
    assertThat(image.getHeight()).isEqualTo(1152);
    assertThat(body.path("data").get(0).has("size")).isFalse();
  }

  @Test
  void seedEditTakesExactlyOneImageAndAnswersTheAdaptiveSizeNearestItsRatio() throws Exception {
    String input = "data:image/png;base64," + Base64.getEncoder().encodeToString(png(400, 300));
    JsonNode body =
        OfficialSdk.parse(
            generate(
                    KEY,
                    """
        {"model":"doubao-seededit-3-0-i2i-250628","prompt":"make it snow","image":"%s","response_format":"b64_json"}"""
                        .formatted(input))
                .body());
    var missing =
        generate(
            KEY,
            """
        {"model":"doubao-seededit-3-0-i2i-250628","prompt":"make it snow"}""");

    BufferedImage image =
        decode(Base64.getDecoder().decode(body.path("data").get(0).path("b64_json").asString()));
    assertThat(image.getWidth()).isEqualTo(1152);
    assertThat(image.getHeight()).isEqualTo(864);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(OfficialSdk.parse(missing.body()).path("error").path("param").asString())
        .isEqualTo("image");
  }

  @Test
  void groupGenerationAnswersSeveralImagesWithAPerImageModerationError() throws Exception {
    JsonNode body =
        OfficialSdk.parse(
            generate(
                    KEY,
                    """
        {"model":"doubao-seedream-4-0-250828","prompt":"comic strip __fault_50511__","size":"1K",
         "sequential_image_generation":"auto","sequential_image_generation_options":{"max_images":3},
         "response_format":"b64_json"}""")
                .body());

    assertThat(body.path("data")).hasSize(3);
    assertThat(body.path("data").get(1).path("error").path("code").asString())
        .isEqualTo("OutputImageSensitiveContentDetected");
    assertThat(body.path("data").get(2).has("b64_json")).isTrue();
    assertThat(body.path("usage").path("generated_images").asInt()).isEqualTo(2);
  }

  @Test
  void aWrongKeyIsAnAuthenticationError() throws Exception {
    var response =
        generate("not-the-key", "{\"model\":\"doubao-seedream-4-0-250828\",\"prompt\":\"cat\"}");
    JsonNode error = OfficialSdk.parse(response.body()).path("error");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(error.path("code").asString()).isEqualTo("AuthenticationError");
    assertThat(error.path("type").asString()).isEqualTo("Unauthorized");
  }

  @Test
  void invalidParametersNameTheParameter() throws Exception {
    assertInvalid(
        "{\"model\":\"doubao-seedream-4-0-250828\",\"prompt\":\"cat\",\"size\":\"512x512\"}",
        "size");
    assertInvalid(
        "{\"model\":\"doubao-seedream-4-5-251128\",\"prompt\":\"cat\",\"size\":\"1K\"}", "size");
    assertInvalid(
        "{\"model\":\"doubao-seedream-3-0-t2i-250415\",\"prompt\":\"cat\",\"size\":\"4096x4096\"}",
        "size");
    assertInvalid(
        "{\"model\":\"doubao-seedream-3-0-t2i-250415\",\"prompt\":\"cat\",\"guidance_scale\":11}",
        "guidance_scale");
    assertInvalid(
        "{\"model\":\"doubao-seedream-3-0-t2i-250415\",\"prompt\":\"cat\",\"image\":\"https://example.com/a.png\"}",
        "image");
    assertInvalid(
        "{\"model\":\"doubao-seedream-4-0-250828\",\"prompt\":\"cat\",\"response_format\":\"png\"}",
        "response_format");
    assertInvalid(
        "{\"model\":\"doubao-seededit-3-0-i2i-250628\",\"prompt\":\"cat\",\"image\":\"https://e.com/a.png\",\"size\":\"1024x1024\"}",
        "size");
  }

  @Test
  void anUnknownModelIsNotFound() throws Exception {
    var response = generate(KEY, "{\"model\":\"doubao-nothing\",\"prompt\":\"cat\"}");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(OfficialSdk.parse(response.body()).path("error").path("code").asString())
        .isEqualTo("InvalidEndpointOrModel.NotFound");
  }

  @Test
  void theRateLimitAnswers429AndAnInjectedFault500() throws Exception {
    emulator.close();
    MutableClock clock = new MutableClock();
    emulator =
        VolcEmulator.start(
            settings().withQuotas(new EmulatorSettings.Quotas(0, 0, 0, 0, 3, 0)), clock);
    String body =
        "{\"model\":\"doubao-seedream-4-0-250828\",\"prompt\":\"cat\",\"size\":\"1K\",\"response_format\":\"b64_json\"}";
    for (int i = 0; i < 3; i++) {
      assertThat(generate(KEY, body).statusCode()).isEqualTo(200);
    }
    var limited = generate(KEY, body);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(OfficialSdk.parse(limited.body()).path("error").path("code").asString())
        .isEqualTo("RateLimitExceeded.EndpointRPMExceeded");

    clock.advance(Duration.ofSeconds(1));
    http.send(
        HttpRequest.newBuilder(emulator.endpoint().resolve("/_emulator/faults"))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"code\":50500,\"count\":1,\"action\":\"ArkImagesGenerations\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    var failed = generate(KEY, body);
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(OfficialSdk.parse(failed.body()).path("error").path("code").asString())
        .isEqualTo("InternalServiceError");
  }

  private void assertInvalid(String request, String param) throws Exception {
    var response = generate(KEY, request);
    JsonNode error = OfficialSdk.parse(response.body()).path("error");
    assertThat(response.statusCode()).as(request).isEqualTo(400);
    assertThat(error.path("code").asString()).isEqualTo("InvalidParameter");
    assertThat(error.path("type").asString()).isEqualTo("BadRequest");
    assertThat(error.path("param").asString()).isEqualTo(param);
  }

  @Test
  void seedream5ProPaintsATransparentBackgroundOnlyFromOneTransparentPngAsPng() throws Exception {
    BufferedImage layer = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
    layer.setRGB(32, 32, 0xffff0000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(layer, "png", out);
    String transparent =
        "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    String opaque = "data:image/png;base64," + Base64.getEncoder().encodeToString(png(64, 64));
    String body =
        """
        {"model":"doubao-seedream-5-0-pro-260628","prompt":"一只玻璃杯","size":"1024x1024",
         "background":"transparent","output_format":"%s","image":%s,"response_format":"b64_json"}""";

    var painted = generate(KEY, body.formatted("png", "\"" + transparent + "\""));
    var jpeg = generate(KEY, body.formatted("jpeg", "\"" + transparent + "\""));
    var two =
        generate(KEY, body.formatted("png", "[\"" + transparent + "\",\"" + transparent + "\"]"));
    var solid = generate(KEY, body.formatted("png", "\"" + opaque + "\""));
    var lite =
        generate(
            KEY,
            body.formatted("png", "\"" + transparent + "\"")
                .replace("doubao-seedream-5-0-pro-260628", "doubao-seedream-5-0-lite-260128")
                .replace("1024x1024", "2048x2048"));

    assertThat(painted.statusCode()).as(painted.body()).isEqualTo(200);
    BufferedImage image =
        decode(
            Base64.getDecoder()
                .decode(
                    OfficialSdk.parse(painted.body())
                        .path("data")
                        .get(0)
                        .path("b64_json")
                        .asString()));
    assertThat(image.getColorModel().hasAlpha()).isTrue();
    assertThat(image.getRGB(1, 1) >>> 24).isZero();
    assertThat(param(jpeg)).isEqualTo("output_format");
    assertThat(param(two)).isEqualTo("image");
    assertThat(param(solid)).isEqualTo("image");
    assertThat(param(lite)).isEqualTo("background");
  }

  private static String param(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(400);
    return OfficialSdk.parse(response.body()).path("error").path("param").asString();
  }

  private HttpResponse<String> generate(String key, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/api/v3/images/generations"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static byte[] png(int width, int height) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
    return out.toByteArray();
  }

  private static BufferedImage decode(byte[] bytes) throws Exception {
    return ImageIO.read(new ByteArrayInputStream(bytes));
  }
}
