package com.volcstudio.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.LoginOnStudio;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accounts through the real app with login on (the same configuration as security.AuthEnabledTests,
 * so the two share one context): the first admin from the environment, members made by the admin
 * API, roles at the door, tokens, and a disabled account stopped on every path.
 */
@LoginOnStudio
class AccountApiTests {

  static final String ADMIN = LoginOnStudio.ADMIN;
  static final String ADMIN_PASSWORD = LoginOnStudio.ADMIN_PASSWORD;

  @Autowired WebTestClient http;
  @Autowired JsonMapper json;

  @BeforeEach
  void allowForBcrypt() {
    http = http.mutate().responseTimeout(Duration.ofSeconds(30)).build();
  }

  private WebTestClient as(String user, String password) {
    return http.mutate().defaultHeaders(h -> h.setBasicAuth(user, password)).build();
  }

  private WebTestClient admin() {
    return as(ADMIN, ADMIN_PASSWORD);
  }

  private JsonNode body(WebTestClient.ResponseSpec response) {
    return json.readTree(response.expectBody().returnResult().getResponseBody());
  }

  /** A new member (a fresh name per test), returned as the API showed it. */
  private JsonNode member(String password) {
    String name = "m-" + UUID.randomUUID().toString().substring(0, 8);
    return body(
        admin()
            .post()
            .uri("/api/v1/users")
            .bodyValue(Map.of("username", name, "password", password))
            .exchange()
            .expectStatus()
            .isCreated());
  }

  @Test
  void theEnvironmentsLoginIsTheFirstAdminAndCannotBeChangedOrLockedOutThroughTheApi() {
    JsonNode users = body(admin().get().uri("/api/v1/users").exchange().expectStatus().isOk());
    JsonNode first =
        users
            .path("items")
            .valueStream()
            .filter(u -> u.path("username").asString().equals(ADMIN))
            .findFirst()
            .orElseThrow();
    assertThat(first.path("role").asString()).isEqualTo("admin");
    assertThat(first.path("managed_by_environment").asBoolean()).isTrue();
    assertThat(first.has("password_hash")).isFalse();
    String id = first.path("user_id").asString();

    admin()
        .patch()
        .uri("/api/v1/users/" + id)
        .bodyValue(Map.of("password", "a new password"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("password");
    admin()
        .delete()
        .uri("/api/v1/users/" + id)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("user_id");
    // Still the admin, with the environment's password.
    admin().get().uri("/api/v1/users/" + id).exchange().expectStatus().isOk();
    http.get()
        .uri("/api/v1/auth/me")
        .headers(h -> h.setBasicAuth(ADMIN, ADMIN_PASSWORD))
        .exchange()
        .expectBody()
        .jsonPath("$.role")
        .isEqualTo("admin");
  }

  @Autowired Accounts accounts;

  @Test
  void aFormerEnvironmentLoginIsDisabledWhenTheVariableNamesAnotherOne() {
    // As if APP_AUTH_USERNAME had been "old-admin" and now names another login: the start-up
    // makes the new one and disables the old, whose password was the environment's.
    Account old = accounts.ensureEnvironmentAdmin("old-admin").block(Duration.ofSeconds(10));
    accounts.ensureEnvironmentAdmin(ADMIN).block(Duration.ofSeconds(10));

    as("old-admin", ADMIN_PASSWORD)
        .get()
        .uri("/api/v1/tasks")
        .exchange()
        .expectStatus()
        .isUnauthorized();
    assertThat(accounts.byUsername("old-admin").block(Duration.ofSeconds(10)).disabled()).isTrue();
    assertThat(old.fromEnvironment()).isTrue();
    admin().get().uri("/api/v1/tasks").exchange().expectStatus().isOk();
  }

  @Test
  void aMemberWorksWithBasicButGets403ProblemsOnAccountsSettingsBackupsAndTheWholeQueue() {
    JsonNode member = member("member password 1");
    assertThat(member.path("role").asString()).isEqualTo("member");
    assertThat(member.has("password")).isFalse();
    WebTestClient asMember = as(member.path("username").asString(), "member password 1");

    asMember.get().uri("/api/v1/tasks").exchange().expectStatus().isOk();
    asMember
        .get()
        .uri("/api/v1/auth/me")
        .exchange()
        .expectBody()
        .jsonPath("$.role")
        .isEqualTo("member");
    for (var route :
        List.of(
            List.of("GET", "/api/v1/users"),
            List.of("POST", "/api/v1/users"),
            List.of("GET", "/api/v1/settings"),
            List.of("PATCH", "/api/v1/settings"),
            List.of("PUT", "/api/v1/settings/credentials/volcengine"),
            List.of("GET", "/api/v1/backups"),
            List.of("POST", "/api/v1/queue/pause"),
            List.of("POST", "/api/v1/queue/resume"),
            List.of("GET", "/actuator/prometheus"))) {
      var request =
          asMember
              .method(org.springframework.http.HttpMethod.valueOf(route.get(0)))
              .uri(route.get(1));
      if (!route.get(0).equals("GET")) {
        request.contentType(MediaType.APPLICATION_JSON).bodyValue("{}");
      }
      request
          .exchange()
          .expectStatus()
          .isForbidden()
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.detail")
          .value(detail -> assertThat((String) detail).as(route.toString()).contains("admin"));
    }
  }

  @Test
  void badAccountsAreRefusedWithEveryFieldNamedAndNamesAreUniqueWhateverTheirCase() {
    admin()
        .post()
        .uri("/api/v1/users")
        .bodyValue(
            Map.of(
                "username", "two words",
                "password", "short",
                "role", "boss",
                "monthly_image_quota", -1,
                "allowed_models", List.of("no-such-model")))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.errors[*].field")
        .value(
            fields ->
                assertThat((List<String>) fields)
                    .containsExactlyInAnyOrder(
                        "username",
                        "password",
                        "role",
                        "monthly_image_quota",
                        "allowed_models[0]"));
    admin()
        .post()
        .uri("/api/v1/users")
        .bodyValue(Map.of("password", "x".repeat(73)))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[*].field")
        .value(fields -> assertThat((List<String>) fields).containsExactly("username", "password"));

    String name = member("member password 2").path("username").asString();
    admin()
        .post()
        .uri("/api/v1/users")
        .bodyValue(Map.of("username", name.toUpperCase(), "password", "another password"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("username");
    admin()
        .patch()
        .uri("/api/v1/users/" + UUID.randomUUID())
        .bodyValue(Map.of("disabled", true))
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  @Test
  void aTokenIsShownOnceWorksAsBearerRecordsItsUseAndStopsTheMomentItIsRevoked() {
    JsonNode member = member("member password 3");
    WebTestClient asMember = as(member.path("username").asString(), "member password 3");
    JsonNode made =
        body(
            asMember
                .post()
                .uri("/api/v1/tokens")
                .bodyValue(Map.of("name", "my script"))
                .exchange()
                .expectStatus()
                .isCreated());
    String token = made.path("token").asString();
    assertThat(token).startsWith("vis_").hasSize(47);

    WebTestClient bearer =
        http.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
    bearer
        .get()
        .uri("/api/v1/auth/me")
        .exchange()
        .expectBody()
        .jsonPath("$.username")
        .isEqualTo(member.path("username").asString());
    bearer.get().uri("/api/v1/tasks").exchange().expectStatus().isOk();
    // A POST with the token needs no CSRF token: there is no cookie to forge.
    bearer
        .post()
        .uri("/api/v1/tokens")
        .bodyValue(Map.of("name", "made with a token"))
        .exchange()
        .expectStatus()
        .isCreated();

    JsonNode listed = body(asMember.get().uri("/api/v1/tokens").exchange().expectStatus().isOk());
    assertThat(listed.toString()).doesNotContain(token);
    JsonNode mine =
        listed
            .path("items")
            .valueStream()
            .filter(t -> t.path("token_id").asString().equals(made.path("token_id").asString()))
            .findFirst()
            .orElseThrow();
    assertThat(mine.path("last_used_at").isNull()).isFalse();

    // Somebody else's token id is simply not there.
    admin()
        .delete()
        .uri("/api/v1/tokens/" + made.path("token_id").asString())
        .exchange()
        .expectStatus()
        .isNotFound();
    asMember
        .delete()
        .uri("/api/v1/tokens/" + made.path("token_id").asString())
        .exchange()
        .expectStatus()
        .isNoContent();
    bearer.get().uri("/api/v1/tasks").exchange().expectStatus().isUnauthorized();
    http.get()
        .uri("/api/v1/tasks")
        .header(HttpHeaders.AUTHORIZATION, "Bearer vis_not-a-token")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    asMember
        .post()
        .uri("/api/v1/tokens")
        .bodyValue(Map.of("name", " "))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("name");
  }

  @Test
  void disablingAMemberStopsTheirSessionBasicTokensAndOpenEventStreams() throws Exception {
    String password = "member password 4";
    JsonNode member = member(password);
    String name = member.path("username").asString();
    var login =
        http.post()
            .uri("/api/v1/auth/login")
            .bodyValue(Map.of("username", name, "password", password))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult();
    ResponseCookie session = login.getResponseCookies().getFirst("SESSION");
    String token =
        body(as(name, password)
                .post()
                .uri("/api/v1/tokens")
                .bodyValue(Map.of("name", "ci"))
                .exchange()
                .expectStatus()
                .isCreated())
            .path("token")
            .asString();
    http.get()
        .uri("/api/v1/tasks")
        .cookie("SESSION", session.getValue())
        .exchange()
        .expectStatus()
        .isOk();
    // An event stream opened with the token: kept open by heartbeats, it would never end by itself.
    var streamEnded =
        http.get()
            .uri("/api/v1/events")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(String.class)
            .getResponseBody()
            .then()
            .toFuture();

    admin()
        .patch()
        .uri("/api/v1/users/" + member.path("user_id").asString())
        .bodyValue(Map.of("disabled", true))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.disabled")
        .isEqualTo(true);
    Thread.sleep(Accounts.STATE_CACHED_FOR.toMillis() + 100);
    // Ended by the server within a second or so (the bound here is generous: make bench times it).
    streamEnded.get(10, TimeUnit.SECONDS);

    http.get()
        .uri("/api/v1/tasks")
        .cookie("SESSION", session.getValue())
        .exchange()
        .expectStatus()
        .isUnauthorized();
    as(name, password).get().uri("/api/v1/tasks").exchange().expectStatus().isUnauthorized();
    http.get()
        .uri("/api/v1/tasks")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .exchange()
        .expectStatus()
        .isUnauthorized();

    // Enabled again, the password works again (the session stays ended).
    admin()
        .patch()
        .uri("/api/v1/users/" + member.path("user_id").asString())
        .bodyValue(Map.of("disabled", false))
        .exchange()
        .expectStatus()
        .isOk();
    as(name, password).get().uri("/api/v1/tasks").exchange().expectStatus().isOk();
  }
}
