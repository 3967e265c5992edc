package com.volcstudio.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The backend called directly by a client that is no configured proxy: the forwarding headers it
 * writes are not believed, so it can neither spread its password guesses over invented addresses
 * nor pose as an https client.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=50ms",
      "APP_AUTH_USERNAME=admin",
      "APP_AUTH_PASSWORD=open sesame 42",
      "RATE_LIMIT_ENABLED=false",
      "APP_TRUSTED_PROXIES=10.9.9.9"
    })
@AutoConfigureWebTestClient
// The guessing test throttles the test's own address, so the cookie test goes first.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UntrustedProxyTests {

  @Autowired WebTestClient http;

  @Test
  @Order(2)
  void aForgedXForwardedForDoesNotSpreadGuessesOverInventedAddresses() {
    for (int i = 0; i < LoginThrottle.ADDRESS_FREE_FAILURES; i++) {
      String invented = "203.0.113." + i;
      String guess = "guess " + i;
      http.get()
          .uri("/api/v1/system/info")
          .header("X-Forwarded-For", invented)
          .headers(h -> h.setBasicAuth("admin", guess))
          .exchange()
          .expectStatus()
          .isUnauthorized();
    }

    http.get()
        .uri("/api/v1/system/info")
        .header("X-Forwarded-For", "203.0.113.99")
        .headers(h -> h.setBasicAuth("admin", "guess again"))
        .exchange()
        .expectStatus()
        .isEqualTo(429);
  }

  @Test
  @Order(1)
  void aForgedXForwardedProtoGetsNoSecureCookie() {
    assertThat(BehindAProxyTests.login(http, "https").get("SESSION").isSecure()).isFalse();
  }
}
