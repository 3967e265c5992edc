package com.volcstudio.security;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * APP_CORS_ORIGINS with login off: the listed origins may call /api/**, without credentials; others
 * may not.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=50ms",
      "APP_CORS_ORIGINS=https://studio.example, http://localhost:5173"
    })
@AutoConfigureWebTestClient
class CorsTests {

  @Autowired WebTestClient http;

  @Test
  void aListedOriginPassesThePreflightWithoutCredentials() {
    http.options()
        .uri("/api/v1/generate")
        .header(HttpHeaders.ORIGIN, "http://localhost:5173")
        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "content-type,idempotency-key")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "http://localhost:5173")
        .expectHeader()
        .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS);
    http.get()
        .uri("/api/v1/tasks")
        .header(HttpHeaders.ORIGIN, "https://studio.example")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://studio.example")
        .expectHeader()
        .valueEquals(
            HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS,
            "Retry-After, Location, ETag, Content-Disposition");
  }

  @Test
  void anOriginNotListedIsRefused() {
    http.options()
        .uri("/api/v1/generate")
        .header(HttpHeaders.ORIGIN, "https://elsewhere.example")
        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectHeader()
        .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    http.get()
        .uri("/api/v1/tasks")
        .header(HttpHeaders.ORIGIN, "https://elsewhere.example")
        .exchange()
        .expectStatus()
        .isForbidden();
  }

  @Test
  void onlyTheApiIsOpenedToOtherOrigins() {
    http.get()
        .uri("/actuator/health")
        .header(HttpHeaders.ORIGIN, "https://studio.example")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
  }
}
