package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two members at one studio through the real app with login on (security.AuthEnabledTests'
 * configuration, so one context serves both): their waiting tasks take turns, whoever queued more,
 * and an account limited to some models is refused the others before anything is stored.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=50ms",
      "APP_AUTH_USERNAME=admin",
      "APP_AUTH_PASSWORD=open sesame 42",
      "APP_CORS_ORIGINS=https://studio.example"
    })
@AutoConfigureWebTestClient
class FairTurnsTests {

  @Autowired WebTestClient http;
  @Autowired JsonMapper json;

  private WebTestClient as(String user, String password) {
    return http.mutate()
        .responseTimeout(Duration.ofSeconds(30))
        .defaultHeaders(h -> h.setBasicAuth(user, password))
        .build();
  }

  private JsonNode read(WebTestClient.ResponseSpec response) {
    return json.readTree(response.expectBody().returnResult().getResponseBody());
  }

  private WebTestClient member(String password, List<String> allowedModels) {
    String name = "m-" + UUID.randomUUID().toString().substring(0, 8);
    as("admin", "open sesame 42")
        .post()
        .uri("/api/v1/users")
        .bodyValue(Map.of("username", name, "password", password, "allowed_models", allowedModels))
        .exchange()
        .expectStatus()
        .isCreated();
    return as(name, password);
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
    WebTestClient admin = as("admin", "open sesame 42");
    WebTestClient alice = member("alice password", List.of());
    WebTestClient bob = member("bob password", List.of("general_v2.0"));
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
