package com.volcstudio.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.upload.TestImages;
import com.volcstudio.upload.TestUploads;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Login on, behind the loopback nginx (the default trusted proxy): a login over https (as the proxy
 * says) gets Secure cookies, and the private images of a studio with a login are never stored by a
 * shared cache.
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
class BehindAProxyTests {

  @Autowired WebTestClient http;

  static Map<String, ResponseCookie> login(WebTestClient http, String forwardedProto) {
    return http.post()
        .uri("/api/v1/auth/login")
        .header("X-Forwarded-Proto", forwardedProto)
        .header("X-Requested-With", "XMLHttpRequest")
        .bodyValue(Map.of("username", "admin", "password", "open sesame 42"))
        .exchange()
        .expectStatus()
        .isOk()
        .returnResult(Void.class)
        .getResponseCookies()
        .toSingleValueMap();
  }

  @Test
  void aLoginOverHttpsThroughTheProxyGetsSecureCookies() {
    Map<String, ResponseCookie> cookies = login(http, "https");

    assertThat(cookies.get("SESSION").isSecure()).isTrue();
    assertThat(cookies.get("SESSION").isHttpOnly()).isTrue();
    assertThat(cookies.get("XSRF-TOKEN").isSecure()).isTrue();
  }

  @Test
  void aLoginOverPlainHttpKeepsCookiesAPlainHttpBrowserWouldSend() {
    Map<String, ResponseCookie> cookies = login(http, "http");

    assertThat(cookies.get("SESSION").isSecure()).isFalse();
  }

  @Test
  void uploadsAreCachedPrivatelyWhenLoginIsOn() {
    WebTestClient basic =
        http.mutate().defaultHeaders(h -> h.setBasicAuth("admin", "open sesame 42")).build();
    String id = TestUploads.upload(basic, TestImages.png(64, 64));

    basic
        .get()
        .uri("/api/v1/uploads/" + id)
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .value(
            HttpHeaders.CACHE_CONTROL,
            value ->
                assertThat(value)
                    .contains("private")
                    .contains("immutable")
                    .doesNotContain("public"));
  }
}
