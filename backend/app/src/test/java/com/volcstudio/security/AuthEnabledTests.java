package com.volcstudio.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.LoginOnStudio;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Login on, with a plain password: the API is closed to anonymous callers, open to Basic and to the
 * session.
 */
@LoginOnStudio
class AuthEnabledTests {

  static final String USER = LoginOnStudio.ADMIN;
  static final String PASSWORD = LoginOnStudio.ADMIN_PASSWORD;
  static final String SOME_ID = "0b9f5c1e-7d7a-4c36-9d61-2f1f5a3c8e11";
  static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

  @Autowired WebTestClient http;
  @Autowired Environment environment;
  @Autowired JsonMapper json;

  @BeforeEach
  void allowForASlowFirstOpenApiDocument() {
    // springdoc builds the document on the first request, which took more than 5 s on a busy
    // machine.
    http = http.mutate().responseTimeout(Duration.ofSeconds(60)).build();
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyApiRouteInTheOpenApiDocumentRefusesAnonymousRequests() {
    // The document's own address is a setting (it may move under /api); new routes are covered
    // automatically.
    String docsPath = environment.getProperty("springdoc.api-docs.path", "/v3/api-docs");
    byte[] document =
        http.get()
            .uri(docsPath)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    Map<String, Object> paths =
        (Map<String, Object>) json.readValue(document, Map.class).get("paths");

    List<String> checked = new ArrayList<>();
    List<String> open = new ArrayList<>();
    paths.forEach(
        (path, item) -> {
          if (!path.startsWith("/api/") || path.startsWith("/api/v1/auth/")) {
            return;
          }
          for (String method : METHODS) {
            if (!((Map<String, Object>) item).containsKey(method)) {
              continue;
            }
            String uri = path.replaceAll("\\{[^}]+}", SOME_ID);
            var request =
                http.method(HttpMethod.valueOf(method.toUpperCase()))
                    .uri(uri)
                    .header("X-Requested-With", "XMLHttpRequest");
            if (!method.equals("get") && !method.equals("delete")) {
              request.contentType(MediaType.APPLICATION_JSON).bodyValue("{}");
            }
            EntityExchangeResult<byte[]> result = request.exchange().expectBody().returnResult();
            String route = method.toUpperCase() + " " + path;
            checked.add(route);
            MediaType type = result.getResponseHeaders().getContentType();
            if (result.getStatus().value() != 401
                || type == null
                || !type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)) {
              open.add(route + " -> " + result.getStatus() + " " + type);
            }
          }
        });
    assertThat(checked)
        .contains("POST /api/v1/generate", "GET /api/v1/events", "GET /api/v1/images/{image_id}");
    assertThat(checked.size()).isGreaterThan(20);
    assertThat(open)
        .as("routes that did not answer an anonymous request with a 401 problem")
        .isEmpty();
  }

  @Test
  void healthThePageAndTheApiDocumentStayOpenWhileOtherActuatorEndpointsAreClosed() {
    http.get().uri("/actuator/health").exchange().expectStatus().isOk();
    http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    http.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
    http.get()
        .uri("/api/v1/auth/me")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.username")
        .isEmpty()
        .jsonPath("$.auth_enabled")
        .isEqualTo(true);
    // No built frontend in the test run: "not found" (not "unauthorized") shows the page is not
    // behind login.
    http.get().uri("/index.html").exchange().expectStatus().isNotFound();
  }

  @Test
  void theBasicChallengeGoesToRestClientsButNotToTheUisRequests() {
    http.get()
        .uri("/api/v1/tasks")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .valueEquals(HttpHeaders.WWW_AUTHENTICATE, ApiAuthenticationEntryPoint.REALM)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(401);
    http.get()
        .uri("/api/v1/tasks")
        .header("X-Requested-With", "XMLHttpRequest")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .doesNotExist(HttpHeaders.WWW_AUTHENTICATE);
    // EventSource and <img> cannot add headers, but browsers mark every request with
    // Sec-Fetch-Mode.
    http.get()
        .uri("/api/v1/events")
        .header("Sec-Fetch-Mode", "cors")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .doesNotExist(HttpHeaders.WWW_AUTHENTICATE);
  }

  @Test
  void restClientsAuthenticateWithBasic() {
    http.get()
        .uri("/api/v1/system/info")
        .headers(h -> h.setBasicAuth(USER, PASSWORD))
        .exchange()
        .expectStatus()
        .isOk()
        .expectCookie()
        .doesNotExist("SESSION")
        .expectBody()
        .jsonPath("$.mode")
        .isEqualTo("demo");
    // Basic requests carry no session cookie, so they need no CSRF token either.
    http.post()
        .uri("/api/v1/queue/pause")
        .headers(h -> h.setBasicAuth(USER, PASSWORD))
        .exchange()
        .expectStatus()
        .isOk();
    http.post()
        .uri("/api/v1/queue/resume")
        .headers(h -> h.setBasicAuth(USER, PASSWORD))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.paused")
        .isEqualTo(false);
    http.get()
        .uri("/actuator/prometheus")
        .headers(h -> h.setBasicAuth(USER, PASSWORD))
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void aWrongPasswordIsRefusedWithAProblem() {
    http.get()
        .uri("/api/v1/system/info")
        .headers(h -> h.setBasicAuth(USER, "open sesame 43"))
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .valueEquals(HttpHeaders.WWW_AUTHENTICATE, ApiAuthenticationEntryPoint.REALM)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("Wrong user name or password.");
    http.post()
        .uri("/api/v1/auth/login")
        .header("X-Requested-With", "XMLHttpRequest")
        .bodyValue(Map.of("username", USER, "password", "nope"))
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .doesNotExist(HttpHeaders.WWW_AUTHENTICATE)
        .expectCookie()
        .doesNotExist("SESSION")
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(401);
    http.post()
        .uri("/api/v1/auth/login")
        .bodyValue(Map.of("username", USER))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("password");
  }

  @Test
  void theUiLogsInAndUsesTheSessionCookieWithTheCsrfHeader() {
    EntityExchangeResult<byte[]> login =
        http.post()
            .uri("/api/v1/auth/login")
            .bodyValue(Map.of("username", USER, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.username")
            .isEqualTo(USER)
            .returnResult();
    ResponseCookie session = login.getResponseCookies().getFirst("SESSION");
    ResponseCookie xsrf = login.getResponseCookies().getFirst("XSRF-TOKEN");
    assertThat(session).isNotNull();
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Lax");
    assertThat(xsrf).isNotNull();
    assertThat(xsrf.isHttpOnly()).isFalse();

    http.get()
        .uri("/api/v1/auth/me")
        .cookie("SESSION", session.getValue())
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.username")
        .isEqualTo(USER)
        .jsonPath("$.auth_enabled")
        .isEqualTo(true);
    http.get()
        .uri("/api/v1/tasks")
        .cookie("SESSION", session.getValue())
        .exchange()
        .expectStatus()
        .isOk();

    // An unsafe request riding on the cookie alone is what a forged cross-site request looks like.
    Map<String, Object> body = Map.of("prompt", "a lighthouse at dusk");
    http.post()
        .uri("/api/v1/generate")
        .cookie("SESSION", session.getValue())
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains("X-XSRF-TOKEN"));
    http.post()
        .uri("/api/v1/generate")
        .cookie("SESSION", session.getValue())
        .cookie("XSRF-TOKEN", xsrf.getValue())
        .header("X-XSRF-TOKEN", "not-the-token")
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isForbidden();
    http.post()
        .uri("/api/v1/generate")
        .cookie("SESSION", session.getValue())
        .cookie("XSRF-TOKEN", xsrf.getValue())
        .header("X-XSRF-TOKEN", xsrf.getValue())
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody()
        .jsonPath("$.task_id")
        .isNotEmpty();

    http.post()
        .uri("/api/v1/auth/logout")
        .cookie("SESSION", session.getValue())
        .cookie("XSRF-TOKEN", xsrf.getValue())
        .header("X-XSRF-TOKEN", xsrf.getValue())
        .exchange()
        .expectStatus()
        .isNoContent();
    http.get()
        .uri("/api/v1/tasks")
        .cookie("SESSION", session.getValue())
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }

  @Test
  void aLoginGetsANewSessionIdAndANewCsrfToken() {
    EntityExchangeResult<byte[]> anonymous =
        http.get()
            .uri("/api/v1/auth/me")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult();
    ResponseCookie planted = anonymous.getResponseCookies().getFirst("XSRF-TOKEN");
    assertThat(planted)
        .as("the page gets its CSRF cookie before its first unsafe request")
        .isNotNull();

    EntityExchangeResult<byte[]> login =
        http.post()
            .uri("/api/v1/auth/login")
            .cookie("XSRF-TOKEN", planted.getValue())
            .cookie("SESSION", "a-session-id-somebody-chose")
            .bodyValue(Map.of("username", USER, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult();
    assertThat(login.getResponseCookies().get("XSRF-TOKEN")).hasSize(1);
    assertThat(login.getResponseCookies().getFirst("XSRF-TOKEN").getValue())
        .isNotEqualTo(planted.getValue());
    assertThat(login.getResponseCookies().getFirst("SESSION").getValue())
        .isNotEqualTo("a-session-id-somebody-chose");
  }

  @Test
  void theOpenApiDocumentDescribesBasicAndTheSessionCookie() {
    String docsPath = environment.getProperty("springdoc.api-docs.path", "/v3/api-docs");
    http.get()
        .uri(docsPath)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.components.securitySchemes.basic.scheme")
        .isEqualTo("basic")
        .jsonPath("$.components.securitySchemes.session.in")
        .isEqualTo("cookie")
        .jsonPath("$.components.securitySchemes.session.name")
        .isEqualTo("SESSION")
        .jsonPath("$.security[0].basic")
        .exists()
        .jsonPath("$.paths['/api/v1/auth/login'].post.security")
        .isEmpty();
  }

  @Test
  void corsLetsListedOriginsSendCredentialsWhenLoginIsOn() {
    http.options()
        .uri("/api/v1/generate")
        .header(HttpHeaders.ORIGIN, "https://studio.example")
        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://studio.example")
        .expectHeader()
        .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    http.options()
        .uri("/api/v1/generate")
        .header(HttpHeaders.ORIGIN, "https://elsewhere.example")
        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectHeader()
        .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
  }
}
