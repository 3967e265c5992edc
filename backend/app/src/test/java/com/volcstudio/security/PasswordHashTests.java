package com.volcstudio.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * APP_AUTH_PASSWORD as a BCrypt hash: the password it was made from logs in, the hash itself does
 * not.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=50ms",
      "APP_AUTH_USERNAME=studio",
      "APP_AUTH_PASSWORD=" + PasswordHashTests.HASH
    })
@AutoConfigureWebTestClient
class PasswordHashTests {

  /** BCrypt (cost 4) of "correct horse battery". */
  static final String HASH = "{bcrypt}$2a$04$bRftnRNXuSX4wwhqTmi5K.ayDoi7IhHkBgo/cP.DKHUyDzxhgkREq";

  @Autowired WebTestClient http;

  @Test
  void theHashedPasswordLogsInAndTheHashDoesNot() {
    http.post()
        .uri("/api/v1/auth/login")
        .bodyValue(Map.of("username", "studio", "password", "correct horse battery"))
        .exchange()
        .expectStatus()
        .isOk();
    http.get()
        .uri("/api/v1/tasks")
        .headers(h -> h.setBasicAuth("studio", "correct horse battery"))
        .exchange()
        .expectStatus()
        .isOk();
    http.get()
        .uri("/api/v1/tasks")
        .headers(h -> h.setBasicAuth("studio", HASH))
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }

  @Test
  void aBareBcryptHashIsAcceptedAndAPlainPasswordIsComparedInConstantTime() {
    String bare = HASH.substring("{bcrypt}".length());
    assertThat(SecurityConfiguration.encodedPassword(bare)).isEqualTo(HASH);
    String plain = SecurityConfiguration.encodedPassword("hunter2 hunter2");
    assertThat(plain).isEqualTo("{plain}hunter2 hunter2");
    PlainPasswordEncoder encoder = new PlainPasswordEncoder();
    assertThat(encoder.matches("hunter2 hunter2", "hunter2 hunter2")).isTrue();
    assertThat(encoder.matches("hunter2 hunter", "hunter2 hunter2")).isFalse();
  }

  @Test
  void aMangledHashStopsTheStartInsteadOfLockingEverybodyOut() {
    // What docker-compose leaves of "{bcrypt}$2a$10$..." when the $ signs are not doubled.
    assertThatThrownBy(() -> SecurityConfiguration.encodedPassword("{bcrypt}a0.Kx9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("$$");
  }
}
