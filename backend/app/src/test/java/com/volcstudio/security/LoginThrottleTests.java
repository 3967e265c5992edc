package com.volcstudio.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Password guessing is slowed down whatever the way in: HTTP Basic on any route and the login form
 * share one count per client address. Each test guesses from its own address, named in
 * X-Forwarded-For as the bundled nginx (a trusted loopback proxy) names its clients.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=50ms",
      "APP_AUTH_USERNAME=admin",
      "APP_AUTH_PASSWORD=open sesame 42",
      "RATE_LIMIT_ENABLED=false"
    })
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class LoginThrottleTests {

  private static final String PASSWORD = "open sesame 42";

  @Autowired WebTestClient http;

  private WebTestClient.ResponseSpec basic(String address, String password) {
    return http.get()
        .uri("/api/v1/system/info")
        .header("X-Forwarded-For", address)
        .headers(h -> h.setBasicAuth("admin", password))
        .exchange();
  }

  @Test
  void wrongBasicPasswordsAreRefusedWith429AfterFiveEvenWhenTheSixthIsRight() {
    for (int i = 0; i < LoginThrottle.ADDRESS_FREE_FAILURES; i++) {
      basic("198.51.100.1", "guess " + i).expectStatus().isUnauthorized();
    }

    basic("198.51.100.1", PASSWORD)
        .expectStatus()
        .isEqualTo(429)
        .expectHeader()
        .valueEquals(HttpHeaders.RETRY_AFTER, "30")
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(detail -> assertThat(detail.toString()).contains("Too many failed logins"));
    // The real user, elsewhere, is not locked out by someone else's guessing.
    basic("198.51.100.2", PASSWORD).expectStatus().isOk();
  }

  @Test
  void loginFormFailuresCountWithBasicOnesAndAThrottledLoginGets429() {
    for (int i = 0; i < 3; i++) {
      basic("198.51.100.3", "guess " + i).expectStatus().isUnauthorized();
    }
    for (int i = 0; i < 2; i++) {
      login("198.51.100.3", "form guess " + i).expectStatus().isUnauthorized();
    }

    login("198.51.100.3", PASSWORD)
        .expectStatus()
        .isEqualTo(429)
        .expectHeader()
        .exists(HttpHeaders.RETRY_AFTER)
        .expectCookie()
        .doesNotExist("SESSION");
  }

  @Test
  void aSuccessClearsTheAddressesFailures() {
    for (int i = 0; i < LoginThrottle.ADDRESS_FREE_FAILURES - 1; i++) {
      basic("198.51.100.4", "guess " + i).expectStatus().isUnauthorized();
    }
    basic("198.51.100.4", PASSWORD).expectStatus().isOk();

    for (int i = 0; i < LoginThrottle.ADDRESS_FREE_FAILURES - 1; i++) {
      basic("198.51.100.4", "again " + i).expectStatus().isUnauthorized();
    }
    basic("198.51.100.4", PASSWORD).expectStatus().isOk();
  }

  @Test
  void eachFailureIsLoggedWithUserAndAddressButNeverThePassword(CapturedOutput output) {
    login("198.51.100.5", "hunter2-secret-guess").expectStatus().isUnauthorized();

    assertThat(output.getAll())
        .contains("failed login for user 'admin' from 198.51.100.5")
        .doesNotContain("hunter2-secret-guess");
  }

  private WebTestClient.ResponseSpec login(String address, String password) {
    return http.post()
        .uri("/api/v1/auth/login")
        .header("X-Forwarded-For", address)
        .header("X-Requested-With", "XMLHttpRequest")
        .bodyValue(Map.of("username", "admin", "password", password))
        .exchange();
  }
}
