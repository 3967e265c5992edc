package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.LoginOnStudio;
import com.volcstudio.TeamClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An account's monthly_image_quota through the real app with login on (security.AuthEnabledTests'
 * configuration): enforced like MONTHLY_IMAGE_QUOTA, before anything is stored, for that account
 * alone, and exactly under concurrent submits.
 */
@LoginOnStudio
class AccountBudgetTests {

  @Autowired WebTestClient http;
  @Autowired JsonMapper json;

  private WebTestClient member(String password, int quota) {
    return new TeamClients(http).member(password, Map.of("monthly_image_quota", quota));
  }

  private static Map<String, Object> images(int n) {
    return Map.of("prompt", "budget test", "model", "general_v2.0", "num_images", n);
  }

  @Test
  void theAdminsListOfAccountsShowsEachOnesImagesAndEstimatedCostThisMonth() throws Exception {
    TeamClients team = new TeamClients(http);
    String erin = "erin-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    team.member(erin, "erin password", Map.of())
        .post()
        .uri("/api/v1/generate")
        .bodyValue(Map.of("prompt", "usage per user", "model", "seedream_4.0", "num_images", 2))
        .exchange()
        .expectStatus()
        .isAccepted();
    String idle = "idle-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    team.member(idle, "idle password", Map.of());

    JsonNode month = null;
    for (long deadline = System.nanoTime() + 30_000_000_000L; System.nanoTime() < deadline; ) {
      month = monthOf(team, erin);
      if (month.path("images").asLong() == 2) {
        break;
      }
      Thread.sleep(50);
    }
    assertThat(month.path("images").asLong()).isEqualTo(2);
    assertThat(month.path("tasks").asLong()).isEqualTo(1);
    assertThat(month.path("estimated_cost_cny").decimalValue()).isPositive();
    assertThat(monthOf(team, idle).path("images").asLong()).isZero();
  }

  private JsonNode monthOf(TeamClients team, String username) {
    JsonNode users =
        json.readTree(
            team.admin()
                .get()
                .uri("/api/v1/users")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
    return users
        .path("items")
        .valueStream()
        .filter(user -> user.path("username").asString().equals(username))
        .findFirst()
        .orElseThrow()
        .path("month");
  }

  @Test
  void anAccountsOwnQuotaRefusesWhatWouldPassItWith429NamingUsedReservedAndLimit() {
    WebTestClient carol = member("carol password", 2);
    carol
        .post()
        .uri("/api/v1/generate")
        .bodyValue(images(2))
        .exchange()
        .expectStatus()
        .isAccepted();

    JsonNode refused =
        json.readTree(
            carol
                .post()
                .uri("/api/v1/generate")
                .bodyValue(images(1))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader()
                .exists("Retry-After")
                .expectBody()
                .returnResult()
                .getResponseBody());
    assertThat(refused.path("code").asString()).isEqualTo("ACCOUNT_MONTHLY_QUOTA_EXCEEDED");
    assertThat(refused.path("limit").asInt()).isEqualTo(2);
    assertThat(refused.path("used").asLong() + refused.path("reserved").asLong()).isEqualTo(2);
    assertThat(refused.path("requested").asInt()).isEqualTo(1);
    assertThat(refused.path("errors").get(0).path("field").asString()).isEqualTo("num_images");

    // Somebody else's budget is their own.
    member("dave password", 5)
        .post()
        .uri("/api/v1/generate")
        .bodyValue(images(2))
        .exchange()
        .expectStatus()
        .isAccepted();
  }

  @Test
  void concurrentSubmitsNeverTakeAnAccountOverItsQuota() {
    WebTestClient erin = member("erin password", 3);

    List<Integer> statuses =
        Flux.range(0, 8)
            .flatMap(
                i ->
                    erin.post()
                                .uri("/api/v1/generate")
                                .bodyValue(images(1))
                                .exchange()
                                .returnResult(String.class)
                                .getStatus()
                                .value()
                            == 202
                        ? Flux.just(202)
                        : Flux.just(429),
                8)
            .collectList()
            .block(Duration.ofSeconds(60));

    assertThat(statuses).filteredOn(s -> s == 202).hasSize(3);
    assertThat(statuses).filteredOn(s -> s == 429).hasSize(5);
  }
}
