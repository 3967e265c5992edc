package com.volcstudio.security;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Login off, the default: a DNS-rebinding page (a foreign Host) gets nothing, and no other site's
 * page can change anything with a simple form post, which needs no CORS preflight. Same settings as
 * the other demo-mode tests, so it shares their application context.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "DEMO_LATENCY=50ms"})
@AutoConfigureWebTestClient
class HostAndOriginTests {

  @Autowired WebTestClient http;

  @Test
  void aForeignHostIsRefusedBeforeTheApiAnswers() {
    http.get()
        .uri("/api/v1/settings")
        .header("Host", "rebind.attacker.example")
        .exchange()
        .expectStatus()
        .isEqualTo(421)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(
            detail ->
                org.assertj.core.api.Assertions.assertThat(detail.toString())
                    .contains("rebind.attacker.example")
                    .contains("APP_ALLOWED_HOSTS"));
    http.get()
        .uri("/")
        .header("Host", "rebind.attacker.example:8080")
        .exchange()
        .expectStatus()
        .isEqualTo(421);
  }

  @Test
  void loopbackNamesAreAnsweredAndHealthProbesAnswerAnyHost() {
    for (String host : new String[] {"localhost:8080", "127.0.0.1", "[::1]:8080", "LOCALHOST"}) {
      http.get().uri("/api/v1/system/info").header("Host", host).exchange().expectStatus().isOk();
    }
    http.get()
        .uri("/actuator/health/liveness")
        .header("Host", "10.1.2.3:8080")
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void aCrossSiteFormPostIsRefused() {
    http.post()
        .uri("/api/v1/queue/pause")
        .header("Origin", "https://evil.example")
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .bodyValue("x=1")
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    http.post()
        .uri("/api/v1/queue/pause")
        .header("Sec-Fetch-Site", "cross-site")
        .exchange()
        .expectStatus()
        .isForbidden();
    http.post()
        .uri("/api/v1/queue/pause")
        .header("Origin", "null")
        .exchange()
        .expectStatus()
        .isForbidden();
    http.get()
        .uri("/api/v1/queue")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.paused")
        .isEqualTo(false);
  }

  @Test
  void theStudiosOwnPageAndNonBrowserClientsMayChangeThings() {
    http.post()
        .uri("/api/v1/queue/resume")
        .header("Host", "localhost:8080")
        .header("Origin", "http://localhost:8080")
        .header("Sec-Fetch-Site", "same-origin")
        .exchange()
        .expectStatus()
        .isOk();
    http.post().uri("/api/v1/queue/resume").exchange().expectStatus().isOk();
  }
}
