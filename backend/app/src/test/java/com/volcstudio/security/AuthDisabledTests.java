package com.volcstudio.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Login off, the default: the security starter changes nothing about the API (no generated
 * password, no Basic prompt, no CSRF token to send), it only adds the security headers. Same
 * settings as the other demo-mode tests, so it shares their application context.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "DEMO_LATENCY=50ms"})
@AutoConfigureWebTestClient
class AuthDisabledTests {

  @Autowired WebTestClient http;
  @Autowired ApplicationContext context;

  @Test
  void springBootGeneratesNoUserAndNoPassword() {
    // Boot's fallback user (and its "Using generated security password" line) comes with this bean.
    assertThat(context.getBeansOfType(ReactiveUserDetailsService.class)).isEmpty();
  }

  @Test
  void everyRequestIsPermittedWithoutCredentialsOrCsrfToken() {
    http.get()
        .uri("/api/v1/tasks")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .doesNotExist(HttpHeaders.WWW_AUTHENTICATE)
        .expectCookie()
        .doesNotExist("XSRF-TOKEN")
        .expectCookie()
        .doesNotExist("SESSION");
    // A dry run goes all the way through the controller without leaving a task behind in the shared
    // context.
    http.post()
        .uri("/api/v1/generate/batch")
        .bodyValue(Map.of("prompts", List.of("a paper boat on a pond"), "dry_run", true))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.tasks")
        .isEqualTo(1);
    http.post().uri("/api/v1/queue/resume").exchange().expectStatus().isOk();
    http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
  }

  @Test
  void meSaysLoginIsOffAndLoginItselfIsNotFound() {
    http.get()
        .uri("/api/v1/auth/me")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.username")
        .isEmpty()
        .jsonPath("$.auth_enabled")
        .isEqualTo(false);
    http.post()
        .uri("/api/v1/auth/login")
        .bodyValue(Map.of("username", "admin", "password", "x"))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType("application/problem+json");
  }

  @Test
  void responsesCarryTheSameSecurityHeadersAsNginxButKeepTheirOwnCaching() {
    http.get()
        .uri("/api/v1/system/info")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("Content-Security-Policy", ContentSecurityPolicyWriter.STRICT)
        .expectHeader()
        .valueEquals("X-Content-Type-Options", "nosniff")
        .expectHeader()
        .valueEquals("Referrer-Policy", "no-referrer")
        .expectHeader()
        .valueEquals("X-Frame-Options", "DENY")
        .expectHeader()
        .doesNotExist(HttpHeaders.CACHE_CONTROL);
    http.get()
        .uri("/api/swagger-ui/index.html")
        .exchange()
        .expectHeader()
        .valueEquals("Content-Security-Policy", ContentSecurityPolicyWriter.SWAGGER_UI);
  }

  @Test
  void urlsTheFirewallDistrustsAreNotFoundProblemsAsBefore() {
    // The same 404 as before Spring Security was added (then web.Ids refused the id).
    http.get()
        .uri("/api/v1/task/{id}", "../../etc/passwd")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType("application/problem+json");
    http.get()
        .uri("/api/v1/task/a%00b")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType("application/problem+json");
    http.method(HttpMethod.valueOf("PROPFIND"))
        .uri("/api/v1/tasks")
        .exchange()
        .expectStatus()
        .isEqualTo(405)
        .expectHeader()
        .contentType("application/problem+json");
  }

  @Test
  void theFirewallLetsChineseSearchTermsAndHeaderValuesThrough() {
    http.get().uri("/api/v1/history?q={q}", "猫咪 在阳光下").exchange().expectStatus().isOk();
    http.get().uri("/api/v1/tasks").header("X-Note", "灯塔").exchange().expectStatus().isOk();
  }

  @Test
  void crossOriginRequestsGetNoCorsHeadersByDefault() {
    http.options()
        .uri("/api/v1/generate")
        .header(HttpHeaders.ORIGIN, "https://studio.example")
        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .exchange()
        .expectHeader()
        .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    http.get()
        .uri("/api/v1/tasks")
        .header(HttpHeaders.ORIGIN, "https://studio.example")
        .exchange()
        .expectHeader()
        .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
  }
}
