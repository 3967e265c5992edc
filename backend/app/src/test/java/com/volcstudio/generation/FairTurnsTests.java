package com.volcstudio.generation;

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
 * Two members at one studio through the real app with login on (security.AuthEnabledTests'
 * configuration, so one context serves both): their waiting tasks take turns, whoever queued more,
 * and an account limited to some models is refused the others before anything is stored.
 */
@LoginOnStudio
class FairTurnsTests {

  @Autowired WebTestClient http;
  @Autowired JsonMapper json;

  private JsonNode read(WebTestClient.ResponseSpec response) {
    return json.readTree(response.expectBody().returnResult().getResponseBody());
  }

  private String submit(WebTestClient client, String prompt) {
    return read(client
            .post()
            .uri("/api/v1/generate")
            .bodyValue(Map.of("prompt", prompt, "model", "general_v2.0"))
            .exchange()
            .expectStatus()
            .isAccepted())
        .path("task_id")
        .asString();
  }

  @Test
  void aSingleTaskWaitsForOneTaskOfTheMemberWhoQueuedABatchNotForTheWholeBatch() {
    TeamClients team = new TeamClients(http);
    WebTestClient admin = team.admin();
    WebTestClient alice = team.member("alice password", Map.of());
    WebTestClient bob =
        team.member("bob password", Map.of("allowed_models", List.of("general_v2.0")));
    admin.post().uri("/api/v1/queue/pause").exchange().expectStatus().isOk();
    try {
      List<String> alices = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        alices.add(submit(alice, "alice's batch " + i));
      }
      String bobs = submit(bob, "bob's one task");

      JsonNode queue = read(admin.get().uri("/api/v1/queue").exchange().expectStatus().isOk());
      List<String> waiting = new ArrayList<>();
      queue.path("waiting").forEach(id -> waiting.add(id.asString()));
      assertThat(waiting)
          .containsSubsequence(alices.get(0), bobs, alices.get(1), alices.get(2), alices.get(3));
      int bobsPlace = waiting.indexOf(bobs);
      assertThat(bobsPlace).isEqualTo(waiting.indexOf(alices.get(0)) + 1);
      assertThat(
              read(bob.get().uri("/api/v1/task/" + bobs).exchange().expectStatus().isOk())
                  .path("queue_position")
                  .asInt())
          .isEqualTo(bobsPlace + 1);

      // Bob may use general_v2.0 only: another model is refused, naming the field.
      bob.post()
          .uri("/api/v1/generate")
          .bodyValue(Map.of("prompt", "not for bob", "model", "general_v3.0"))
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.errors[0].field")
          .isEqualTo("model");
    } finally {
      admin.post().uri("/api/v1/queue/resume").exchange().expectStatus().isOk();
    }
  }
}
