package com.volcstudio.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.connection.Providers;
import com.volcstudio.connection.StudioMode;
import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Live mode, as a user with keys runs it: the app is pointed at a standalone emulator through
 * VOLC_ENDPOINT with that emulator's credentials, and starts no emulator of its own.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "DATA_DIR=target/test-data/${random.uuid}")
@AutoConfigureWebTestClient
class LiveModeTests {

  private static final VolcEmulator standalone =
      VolcEmulator.start(
          EmulatorSettings.loopback(
              0,
              "AKLTlivemodetests00000000000001",
              "bGl2ZS1tb2RlLXRlc3RzLXNlY3JldA==",
              Duration.ofMillis(20)));

  @DynamicPropertySource
  static void pointAtTheStandaloneEmulator(DynamicPropertyRegistry registry) {
    registry.add("volc.endpoint", () -> standalone.endpoint().toString());
    registry.add("volc.access-key", () -> "AKLTlivemodetests00000000000001");
    registry.add("volc.secret-key", () -> "bGl2ZS1tb2RlLXRlc3RzLXNlY3JldA==");
  }

  @AfterAll
  static void stopEmulator() {
    standalone.close();
  }

  @Autowired WebTestClient http;
  @Autowired Providers providers;

  @Test
  void keysConfiguredMeanLiveModeAgainstTheConfiguredEndpoint() {
    assertThat(providers.mode()).isEqualTo(StudioMode.LIVE);
    assertThat(providers.visual())
        .hasValueSatisfying(c -> assertThat(c.endpoint()).isEqualTo(standalone.endpoint()));
    http.get()
        .uri("/api/v1/system/info")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.mode")
        .isEqualTo("live")
        .jsonPath("$.api_connected")
        .isEqualTo(true)
        .jsonPath("$.models[0]")
        .isEqualTo("general_v2.0")
        // No MONTHLY_IMAGE_QUOTA: no limit.
        .jsonPath("$.quota.limit")
        .doesNotExist();
  }

  @Test
  void storedKeysOverrideTheEnvironmentsAndDeletingThemFallsBackToThem() {
    try {
      http.put()
          .uri("/api/v1/settings/credentials/volcengine")
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(
              Map.of(
                  "access_key",
                  "AKLTsomeoneelse000000000000000002",
                  "secret_key",
                  "c29tZW9uZS1lbHNlcy1zZWNyZXQta2V5"))
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.credentials.volcengine.source")
          .isEqualTo("stored")
          .jsonPath("$.credentials.volcengine.access_key_masked")
          .isEqualTo("AKLT****0002");
      // The standalone emulator does not know that key: the stored one is what the app now uses.
      http.get()
          .uri("/api/v1/system/info")
          .exchange()
          .expectBody()
          .jsonPath("$.api_connected")
          .isEqualTo(false)
          .jsonPath("$.api_error.code")
          .isEqualTo("InvalidAccessKey");
    } finally {
      http.delete()
          .uri("/api/v1/settings/credentials/volcengine")
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.mode")
          .isEqualTo("live")
          .jsonPath("$.credentials.volcengine.source")
          .isEqualTo("env")
          .jsonPath("$.credentials.volcengine.access_key_masked")
          .isEqualTo("AKLT****0001");
    }
    http.get()
        .uri("/api/v1/system/info")
        .exchange()
        .expectBody()
        .jsonPath("$.api_connected")
        .isEqualTo(true);
  }

  @Test
  void generatesThroughTheConfiguredEndpoint() throws InterruptedException {
    Map<String, Object> accepted =
        http.post()
            .uri("/api/v1/generate")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("prompt", "live mode cat", "width", 512, "height", 512))
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    String status = "pending";
    for (int i = 0; i < 200 && !status.equals("completed") && !status.equals("failed"); i++) {
      Thread.sleep(100);
      status =
          http.get()
              .uri("/api/v1/task/{id}", accepted.get("task_id"))
              .exchange()
              .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
              .returnResult()
              .getResponseBody()
              .get("status")
              .toString();
    }
    assertThat(status).isEqualTo("completed");
  }
}
