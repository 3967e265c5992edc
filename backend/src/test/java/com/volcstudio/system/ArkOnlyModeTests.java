package com.volcstudio.system;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A user with only an Ark key: live mode, and the visual models say why they cannot be used. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "ark.api-key=ark-test-key-not-real"})
@AutoConfigureWebTestClient
class ArkOnlyModeTests {

  @Autowired WebTestClient http;

  @Test
  void visualModelsAreListedAsUnavailableWithTheReason() {
    http.get().uri("/api/v1/models").exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$.models[0].id").isEqualTo("general_v2.0")
        .jsonPath("$.models[0].available").isEqualTo(false)
        .jsonPath("$.models[0].unavailable_reason").isEqualTo("VOLC_ACCESS_KEY / VOLC_SECRET_KEY are not configured");
    http.get().uri("/api/v1/system/info").exchange()
        .expectBody().jsonPath("$.mode").isEqualTo("live").jsonPath("$.models").isEmpty();
  }

  @Test
  void generatingWithAnUnavailableModelIsAFieldError() {
    http.post().uri("/api/v1/generate").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\":\"cat\"}")
        .exchange()
        .expectStatus().isBadRequest()
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.errors[0].field").isEqualTo("model");
  }
}
