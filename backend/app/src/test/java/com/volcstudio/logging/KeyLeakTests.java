package com.volcstudio.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The security issue's leak test. Live mode with an AK/SK, an STS token and an Ark key; every log
 * category that could describe a request at TRACE, Spring's request details on, Reactor Netty
 * wiretaps on the app's server (hex dumps) and on the upstream connection (hex dumps and text);
 * every flow of the API. Then not one key, piece of a key, signature or unmasked wire dump may be
 * in the log or in any response body. Subclasses vary the log format and the secret the app signs
 * with.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "logging.level.com.volcstudio=TRACE",
      "logging.level.reactor.netty=TRACE",
      "logging.level.io.netty=DEBUG",
      "logging.level.org.springframework.web=TRACE",
      "logging.level.org.springframework.http=TRACE",
      "spring.codec.log-request-details=true",
      "ark.api-key=" + KeyLeakTests.ARK_KEY
    })
@AutoConfigureWebTestClient
@Import(KeyLeakTests.ServerWiretap.class)
@ExtendWith(OutputCaptureExtension.class)
abstract class KeyLeakTests {

  // Random-looking and unlike anything else in a log, so that even a 10-character piece of one is a
  // leak.
  static final String ACCESS_KEY = "AKLTqW7vLe9KxTrBn3HsPz5YcMd8FgJu2A";
  static final String SECRET_KEY = "Zk9vQmFyUXV4V2FsZG9UaGVTZWNyZXRLZXk3Mw==";
  static final String WRONG_SECRET_KEY = "TWlzdHlwZWRTZWNyZXRLZXlOb3RUaGVSZWFsMQ==";
  static final String SESSION_TOKEN = "STS2eyJBY2Nlc3NLZXlJZCI6IkFLVFBzdHNMZWFrVGVzdCJ9QmNWx";
  static final String ARK_KEY = "ark-7f3c9e1b-5d2a-4c8e-9b6f-0a1d2e3f4c5b";

  private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
      new ParameterizedTypeReference<>() {};
  private static final Pattern SIGNATURE_HEX =
      Pattern.compile("(?i)signature\\W{0,4}[0-9a-f]{16,}");
  private static final Pattern HEX_DUMP_ROW = Pattern.compile("\\|[0-9a-f]{8}\\|( [0-9a-f]{2}){2}");

  @Autowired WebTestClient http;

  /** How the generation ends: completed with the right secret, failed with a wrong one. */
  abstract String expectedGenerationStatus();

  /** Checks of the log's format, after the leak checks. */
  void assertFormat(CapturedOutput output) throws IOException {}

  @Test
  void noKeyReachesTheLogOrAResponseInAnyFlow(CapturedOutput output) throws IOException {
    List<String> bodies = runEveryFlow(http, expectedGenerationStatus());

    for (String body : bodies) {
      assertNoKeyMaterial("a response body", body);
    }
    assertLogIsVerboseAndClean(output);
    assertFormat(output);
  }

  /**
   * The emulator and its proxy, started once the app's logging knows the keys (the lazy suppliers).
   */
  static final class Upstream implements AutoCloseable {
    private VolcEmulator emulator;
    private WiretapProxy proxy;

    synchronized String endpoint() {
      if (proxy == null) {
        emulator =
            VolcEmulator.start(
                EmulatorSettings.loopback(0, ACCESS_KEY, SECRET_KEY, Duration.ofMillis(20)));
        proxy = WiretapProxy.to(emulator.endpoint());
      }
      return proxy.endpoint().toString();
    }

    /** Live mode against this upstream, signing with {@code secretKey} and an STS session token. */
    void configure(DynamicPropertyRegistry registry, String secretKey) {
      registry.add("volc.endpoint", this::endpoint);
      registry.add("volc.access-key", () -> ACCESS_KEY);
      registry.add("volc.secret-key", () -> secretKey);
      registry.add("volc.session-token", () -> SESSION_TOKEN);
    }

    @Override
    public synchronized void close() {
      if (proxy != null) {
        proxy.close();
        emulator.close();
      }
    }
  }

  /** The app's own server wiretapped too: every request and response of the flows, as hex dumps. */
  @TestConfiguration(proxyBeanMethods = false)
  static class ServerWiretap {
    @Bean
    NettyServerCustomizer wiretap() {
      return server -> server.wiretap(true);
    }
  }

  /**
   * Runs every flow a user can trigger and returns each response body: system info, the catalog, a
   * generation ({@code expected} is how it ends), a moderation failure, both tasks' JSON and event
   * streams, a validation error, health with both probe groups, metrics and the OpenAPI document.
   */
  static List<String> runEveryFlow(WebTestClient http, String expected) {
    List<String> bodies = new ArrayList<>();
    bodies.add(get(http, "/api/v1/system/info"));
    bodies.add(get(http, "/api/v1/models"));

    String generated = submit(http, "a lighthouse in the fog, 灯塔");
    String faulted = submit(http, "moderated __fault_50412__");
    assertThat(awaitTerminal(http, generated)).isEqualTo(expected);
    assertThat(awaitTerminal(http, faulted)).isEqualTo("failed");
    for (String task : List.of(generated, faulted)) {
      bodies.add(get(http, "/api/v1/task/" + task));
      bodies.add(
          String.join(
              "\n",
              http.get()
                  .uri("/api/v1/task/{id}/events", task)
                  .accept(MediaType.TEXT_EVENT_STREAM)
                  .exchange()
                  .expectStatus()
                  .isOk()
                  .returnResult(String.class)
                  .getResponseBody()
                  .collectList()
                  .block(Duration.ofSeconds(30))));
    }

    bodies.add(
        http.post()
            .uri("/api/v1/generate")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"prompt\":\"\",\"steps\":-1}")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody());
    bodies.add(get(http, "/actuator/health"));
    bodies.add(get(http, "/actuator/health/liveness"));
    bodies.add(get(http, "/actuator/health/readiness"));
    bodies.add(get(http, "/actuator/prometheus"));
    bodies.add(get(http, "/api/docs/openapi.json"));
    return bodies;
  }

  /**
   * Fails naming the place, with the text around it, if any key, piece of a key, signature or raw
   * wire dump is in the text.
   */
  static void assertNoKeyMaterial(String where, String text) {
    for (String secret :
        List.of(SECRET_KEY, WRONG_SECRET_KEY, SESSION_TOKEN, ARK_KEY, ACCESS_KEY)) {
      // Any 10 consecutive characters: a key split over two log lines or dump rows is still a leak.
      for (int i = 0; i + 10 <= secret.length(); i++) {
        int at = text.indexOf(secret.substring(i, i + 10));
        if (at >= 0) {
          fail(where + " contains a piece of a key: …" + around(text, at) + "…");
        }
      }
    }
    for (Pattern leak : List.of(SIGNATURE_HEX, HEX_DUMP_ROW)) {
      Matcher found = leak.matcher(text);
      if (found.find()) {
        fail(where + " matches " + leak + ": …" + around(text, found.start()) + "…");
      }
    }
  }

  /**
   * The checks on the captured log: clean, and verbose enough that the test is not passing on
   * silence.
   */
  static void assertLogIsVerboseAndClean(CapturedOutput output) {
    String log = output.getAll();
    assertNoKeyMaterial("the log", log);
    // The paths a leak would take were really logged, masked: wire dumps, and the signed headers as
    // text.
    for (String masked :
        List.of("hex dump redacted", "Authorization: ****", "X-Security-Token: ****")) {
      assertThat(log.contains(masked)).as("the log shows %s", masked).isTrue();
    }
  }

  private static String around(String text, int at) {
    return text.substring(Math.max(0, at - 160), Math.min(text.length(), at + 80));
  }

  private static String get(WebTestClient http, String path) {
    return http.get()
        .uri(path)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  private static String submit(WebTestClient http, String prompt) {
    return http.post()
        .uri("/api/v1/generate")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("prompt", prompt, "width", 512, "height", 512))
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody(JSON_OBJECT)
        .returnResult()
        .getResponseBody()
        .get("task_id")
        .toString();
  }

  private static String awaitTerminal(WebTestClient http, String taskId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Object status =
          http.get()
              .uri("/api/v1/task/{id}", taskId)
              .exchange()
              .expectBody(JSON_OBJECT)
              .returnResult()
              .getResponseBody()
              .get("status");
      if ("completed".equals(status) || "failed".equals(status)) {
        return status.toString();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("task " + taskId + " did not finish within 30 s");
  }
}
