package com.volcstudio.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.LoginOnStudio;
import com.volcstudio.TeamClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log through the real app with login on: logins that fail, account and token changes,
 * each with who, what and from where; for admins only; never a secret.
 */
@LoginOnStudio
class AuditLogTests {

  @Autowired WebTestClient http;
  @Autowired JsonMapper json;

  private JsonNode read(WebTestClient.ResponseSpec response) {
    return json.readTree(response.expectBody().returnResult().getResponseBody());
  }

  @Test
  void accountTokenAndLoginEventsAreRecordedWithActorTargetAndAddressButNoSecret() {
    TeamClients team = new TeamClients(http);
    WebTestClient admin = team.admin();
    String secretPassword = "audit secret password 1";
    WebTestClient member = team.member(secretPassword, Map.of());
    String token =
        read(member
                .post()
                .uri("/api/v1/tokens")
                .bodyValue(Map.of("name", "audited script"))
                .exchange()
                .expectStatus()
                .isCreated())
            .path("token")
            .asString();
    http.post()
        .uri("/api/v1/auth/login")
        .bodyValue(Map.of("username", "admin", "password", "not the password at all"))
        .exchange()
        .expectStatus()
        .isUnauthorized();

    JsonNode page =
        read(admin.get().uri("/api/v1/audit?limit=200").exchange().expectStatus().isOk());
    List<String> actions = new ArrayList<>();
    page.path("items").forEach(e -> actions.add(e.path("action").asString()));
    assertThat(actions).contains("user.created", "token.created", "login.failed");

    JsonNode created =
        page.path("items")
            .valueStream()
            .filter(e -> e.path("action").asString().equals("user.created"))
            .findFirst()
            .orElseThrow();
    assertThat(created.path("actor").asString()).isEqualTo("admin");
    assertThat(created.path("address").asString()).isEqualTo("127.0.0.1");
    assertThat(created.path("at").asString()).endsWith("Z");
    JsonNode failed =
        page.path("items")
            .valueStream()
            .filter(e -> e.path("action").asString().equals("login.failed"))
            .findFirst()
            .orElseThrow();
    assertThat(failed.path("actor").asString()).isEqualTo("admin");
    assertThat(failed.path("detail").asString()).contains("wrong");

    String everything = page.toString();
    assertThat(everything)
        .doesNotContain(secretPassword)
        .doesNotContain("not the password at all")
        .doesNotContain(token);

    // Filtered by action, newest first, with the total.
    JsonNode logins =
        read(
            admin
                .get()
                .uri("/api/v1/audit?action=login.failed&limit=1")
                .exchange()
                .expectStatus()
                .isOk());
    assertThat(logins.path("items")).hasSize(1);
    assertThat(logins.path("total").asLong()).isGreaterThanOrEqualTo(1);

    // Members may not read it.
    member.get().uri("/api/v1/audit").exchange().expectStatus().isForbidden();
  }

  @Test
  void anAdminsDeletionOfAMembersTaskIsRecordedTheirOwnIsNot() {
    TeamClients team = new TeamClients(http);
    WebTestClient admin = team.admin();
    WebTestClient member = team.member("audited member 1", Map.of());
    String theirs = submit(member);
    String own = submit(admin);

    admin.delete().uri("/api/v1/task/" + theirs).exchange().expectStatus().isNoContent();
    admin.delete().uri("/api/v1/task/" + own).exchange().expectStatus().isNoContent();

    JsonNode deletions =
        read(
            admin
                .get()
                .uri("/api/v1/audit?action=task.deleted&limit=200")
                .exchange()
                .expectStatus()
                .isOk());
    List<String> targets = new ArrayList<>();
    deletions.path("items").forEach(e -> targets.add(e.path("target").asString()));
    assertThat(targets).contains(theirs).doesNotContain(own);
  }

  private String submit(WebTestClient client) {
    return read(client
            .post()
            .uri("/api/v1/generate")
            .bodyValue(Map.of("prompt", "audited task", "model", "general_v2.0"))
            .exchange()
            .expectStatus()
            .isAccepted())
        .path("task_id")
        .asString();
  }

  @Test
  void badQueriesAreRefusedNamingEachField() {
    new TeamClients(http)
        .admin()
        .get()
        .uri("/api/v1/audit?page=0&limit=500&action=DROP TABLE&from=yesterday")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[*].field")
        .value(
            fields ->
                assertThat((List<String>) fields)
                    .containsExactlyInAnyOrder("page", "limit", "action", "from"));
  }
}
