package com.volcstudio.volcengine;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** Our signed client against the emulator on loopback: the real wire protocol, both ways. */
class VisualClientTests {

  private static final String ACCESS_KEY = "AKLTvisualclienttests0000000001";
  private static final String SECRET_KEY = "dmlzdWFsLWNsaWVudC10ZXN0cy1zZWNyZXQ=";

  private static VolcEmulator emulator;
  private final VisualClient client =
      new VisualClient(
          WebClient.create(),
          VolcSigner.visual("cn-north-1", Clock.systemUTC()),
          JsonMapper.builder().build(),
          new QuotaGovernor(50, 50, 0, Duration.ofMillis(10)),
          ResultLinks.defaults());

  @BeforeAll
  static void startEmulator() {
    emulator =
        VolcEmulator.start(EmulatorSettings.loopback(0, ACCESS_KEY, SECRET_KEY, Duration.ZERO));
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void superResolutionDoublesTheNativeSizeIntoTheRequestedOne() {
    StepVerifier.create(client.cvProcess(connection(SECRET_KEY), body("一只可爱的猫咪在阳光下", 7, 512, true)))
        .assertNext(
            images -> {
              assertThat(images).hasSize(1);
              BufferedImage image = decode(images.get(0));
              assertThat(image.getWidth()).isEqualTo(1024);
              assertThat(image.getHeight()).isEqualTo(1024);
            })
        .verifyComplete();
  }

  @Test
  void sameSeedGivesTheSameImageAndAnotherSeedAnotherOne() {
    byte[] first =
        client.cvProcess(connection(SECRET_KEY), body("lighthouse", 11, 256, false)).block().get(0);
    byte[] again =
        client.cvProcess(connection(SECRET_KEY), body("lighthouse", 11, 256, false)).block().get(0);
    byte[] other =
        client.cvProcess(connection(SECRET_KEY), body("lighthouse", 12, 256, false)).block().get(0);
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void aWrongSecretIsRejectedByTheGatewayWithSignatureDoesNotMatch() {
    StepVerifier.create(client.cvProcess(connection("not-the-secret"), body("cat", 1, 256, false)))
        .expectErrorSatisfies(
            e -> {
              UpstreamError error = ((VolcApiException) e).error();
              assertThat(error.code()).isEqualTo("SignatureDoesNotMatch");
              assertThat(error.httpStatus()).isEqualTo(401);
              assertThat(error.retryable()).isFalse();
            })
        .verify();
  }

  @Test
  void anUnknownAccessKeyIsRejectedWithInvalidAccessKey() {
    VisualConnection stranger =
        new VisualConnection(emulator.endpoint(), new VolcCredentials("AKLTnobody", SECRET_KEY));
    StepVerifier.create(client.cvProcess(stranger, body("cat", 1, 256, false)))
        .expectErrorSatisfies(
            e -> assertThat(((VolcApiException) e).error().code()).isEqualTo("InvalidAccessKey"))
        .verify();
  }

  @Test
  void aModerationRejectionIsExplainedAndNotRetryable() {
    StepVerifier.create(
            client.cvProcess(connection(SECRET_KEY), body("__fault_50412__ cat", 1, 256, false)))
        .expectErrorSatisfies(
            e -> {
              UpstreamError error = ((VolcApiException) e).error();
              assertThat(error.code()).isEqualTo("50412");
              assertThat(error.httpStatus()).isEqualTo(400);
              assertThat(error.retryable()).isFalse();
              assertThat(error.messageZh()).contains("审核");
            })
        .verify();
  }

  @Test
  void aQpsLimitIsRetryable() {
    StepVerifier.create(
            client.cvProcess(connection(SECRET_KEY), body("__fault_50429__ cat", 1, 256, false)))
        .expectErrorSatisfies(
            e -> {
              UpstreamError error = ((VolcApiException) e).error();
              assertThat(error.code()).isEqualTo("50429");
              assertThat(error.httpStatus()).isEqualTo(429);
              assertThat(error.retryable()).isTrue();
            })
        .verify();
  }

  @Test
  void aSizeOutsideTheModelsRangeIsAnUpstreamInvalidArgument() {
    StepVerifier.create(client.cvProcess(connection(SECRET_KEY), body("cat", 1, 1024, false)))
        .expectErrorSatisfies(
            e -> assertThat(((VolcApiException) e).error().code()).isEqualTo("50200"))
        .verify();
  }

  @Test
  void anUnreachableEndpointIsARetryableTransportError() {
    VisualConnection nowhere =
        new VisualConnection(
            java.net.URI.create("http://127.0.0.1:1"), new VolcCredentials(ACCESS_KEY, SECRET_KEY));
    StepVerifier.create(client.cvProcess(nowhere, body("cat", 1, 256, false)))
        .expectErrorSatisfies(
            e -> {
              assertThat(((VolcApiException) e).error().code()).isEqualTo("UPSTREAM_UNREACHABLE");
              assertThat(((VolcApiException) e).error().retryable()).isTrue();
            })
        .verify();
  }

  private static VisualConnection connection(String secret) {
    return new VisualConnection(emulator.endpoint(), new VolcCredentials(ACCESS_KEY, secret));
  }

  private static Map<String, Object> body(
      String prompt, long seed, int side, boolean superResolution) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("req_key", "high_aes_general_v20");
    body.put("model_version", "general_v2.0");
    body.put("prompt", prompt);
    body.put("width", side);
    body.put("height", side);
    body.put("use_sr", superResolution);
    body.put("seed", seed);
    return body;
  }

  private static BufferedImage decode(byte[] bytes) {
    try {
      return ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
