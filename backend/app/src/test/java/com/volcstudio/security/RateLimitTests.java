package com.volcstudio.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Two submits a minute per client, login on, demo mode. The test runs on loopback, which is exempt
 * in demo mode; as the bundled nginx does, it names other clients in X-Forwarded-For.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=50ms",
      "APP_AUTH_USERNAME=admin",
      "APP_AUTH_PASSWORD=open sesame 42",
      "RATE_LIMIT_PER_MINUTE=2"
    })
@AutoConfigureWebTestClient
class RateLimitTests {

  @Autowired WebTestClient http;

  private WebTestClient.ResponseSpec login(String clientAddress) {
    return http.post()
        .uri("/api/v1/auth/login")
        .header("X-Forwarded-For", clientAddress)
        .bodyValue(Map.of("username", "admin", "password", "guess"))
        .exchange();
  }

  @Test
  void theThirdSubmitOfAClientWithinAMinuteGetsA429WithRetryAfter() {
    login("203.0.113.7").expectStatus().isUnauthorized();
    login("203.0.113.7").expectStatus().isUnauthorized();
    login("203.0.113.7")
        .expectStatus()
        .isEqualTo(429)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectHeader()
        .value(HttpHeaders.RETRY_AFTER, v -> assertThat(Integer.parseInt(v)).isBetween(1, 60))
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(429)
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains("at most 2 a minute"));
    // Another client has its own allowance; only the address our proxy appended counts.
    login("203.0.113.8").expectStatus().isUnauthorized();
    login("203.0.113.7, 203.0.113.9").expectStatus().isUnauthorized();
  }

  @Test
  void aLoggedInUserIsOneClientWhereverItComesFrom() {
    Map<String, Object> invalid = Map.of("prompt", "");
    http.post()
        .uri("/api/v1/generate")
        .header("X-Forwarded-For", "198.51.100.1")
        .headers(h -> h.setBasicAuth("admin", "open sesame 42"))
        .bodyValue(invalid)
        .exchange()
        .expectStatus()
        .isBadRequest();
    http.post()
        .uri("/api/v1/generate/batch")
        .header("X-Forwarded-For", "198.51.100.2")
        .headers(h -> h.setBasicAuth("admin", "open sesame 42"))
        .bodyValue(Map.of())
        .exchange()
        .expectStatus()
        .isBadRequest();
    http.post()
        .uri("/api/v1/generate")
        .header("X-Forwarded-For", "198.51.100.3")
        .headers(h -> h.setBasicAuth("admin", "open sesame 42"))
        .bodyValue(invalid)
        .exchange()
        .expectStatus()
        .isEqualTo(429)
        .expectHeader()
        .exists(HttpHeaders.RETRY_AFTER);
    // Reading is never limited.
    http.get()
        .uri("/api/v1/tasks")
        .headers(h -> h.setBasicAuth("admin", "open sesame 42"))
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void loopbackClientsAreNotLimitedInDemoMode() {
    for (int i = 0; i < 5; i++) {
      http.post()
          .uri("/api/v1/auth/login")
          .bodyValue(Map.of("username", "admin", "password", "guess"))
          .exchange()
          .expectStatus()
          .isUnauthorized();
    }
  }

  @Test
  void anonymousRequestsToTheClosedApiAreRefusedBeforeTheyCount() {
    for (int i = 0; i < 4; i++) {
      http.post()
          .uri("/api/v1/generate")
          .header("X-Forwarded-For", "192.0.2.44")
          .bodyValue(Map.of())
          .exchange()
          .expectStatus()
          .isUnauthorized();
    }
  }
}
