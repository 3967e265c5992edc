package com.volcstudio.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A user with only an Ark key: live mode, and the visual models say why they cannot be used. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // The endpoint refuses at once: system/info's connection check must not reach the real Ark with
    // a made-up key.
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "ark.api-key=ark-test-key-not-real",
      "ark.endpoint=http://127.0.0.1:9/api/v3"
    })
@AutoConfigureWebTestClient
class ArkOnlyModeTests {

  @Autowired WebTestClient http;

  @Test
  void visualModelsAreListedAsUnavailableWithTheReasonAndArkModelsAsAvailable() {
    http.get()
        .uri("/api/v1/models")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.models[0].id")
        .isEqualTo("general_v2.0")
        .jsonPath("$.models[0].available")
        .isEqualTo(false)
        .jsonPath("$.models[0].unavailable_reason")
        .isEqualTo("VOLC_ACCESS_KEY / VOLC_SECRET_KEY are not configured");
    http.get()
        .uri("/api/v1/system/info")
        .exchange()
        .expectBody()
        .jsonPath("$.mode")
        .isEqualTo("live")
        .jsonPath("$.api_connected")
        .isEqualTo(false)
        .jsonPath("$.api_error.provider")
        .isEqualTo("ark")
        .jsonPath("$.api_error.code")
        .isEqualTo("UPSTREAM_UNREACHABLE")
        .jsonPath("$.models")
        .value(
            ids ->
                assertThat((List<?>) ids)
                    .isNotEmpty()
                    .allSatisfy(id -> assertThat((String) id).matches("seed(ream|edit)_.*")));
  }

  @Test
  void generatingWithAnUnavailableModelIsAFieldError() {
    http.post()
        .uri("/api/v1/generate")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"prompt\":\"cat\"}")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("model");
  }
}
