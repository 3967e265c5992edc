package com.volcstudio.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.LoginOnStudio;
import com.volcstudio.TeamClients;
import com.volcstudio.upload.TestImages;
import com.volcstudio.upload.TestUploads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Privacy by default (issue 17), through the real app with login on: member B walks every operation
 * of the OpenAPI document that takes an id, with member A's ids, and gets exactly the answer an id
 * that does not exist gets (404 for A's things; 403 for the admin areas, whatever the id); ids of
 * A's in request bodies and filters are unknown to B in the same way; B's lists and event stream
 * hold nothing of A's; and afterwards everything of A's is as it was.
 */
@LoginOnStudio
class PrivateByDefaultTests {

  private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([a-z_]+)}");

  /** Paths only admins may use: 403 for a member, whatever the id, so they tell nothing. */
  private static final List<String> ADMIN_AREAS =
      List.of("/api/v1/users", "/api/v1/settings", "/api/v1/backups");

  @Autowired WebTestClient http;
  @Autowired JsonMapper json;

  private JsonNode read(WebTestClient.ResponseSpec response) {
    return json.readTree(response.expectBody().returnResult().getResponseBody());
  }

  @Test
  void memberBGetsTheAnswerOfAnIdThatDoesNotExistForEveryOneOfMemberAsThings() throws Exception {
    TeamClients team = new TeamClients(http);
    String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
    WebTestClient a = team.member(alice, "alice password", Map.of());
    WebTestClient b = team.member("bobs password", Map.of());
    Map<String, String> ids = alicesThings(a);
    ids.put(
        "user_id",
        read(team.admin().get().uri("/api/v1/users").exchange().expectStatus().isOk())
            .path("items")
            .valueStream()
            .filter(user -> user.path("username").asString().equals(alice))
            .findFirst()
            .orElseThrow()
            .path("user_id")
            .asString());

    JsonNode document =
        read(team.admin().get().uri("/api/docs/openapi.json").exchange().expectStatus().isOk());
    List<String> walked = new ArrayList<>();
    for (var path : document.path("paths").properties()) {
      Matcher parameter = PATH_PARAMETER.matcher(path.getKey());
      if (!parameter.find()) {
        continue;
      }
      String name = parameter.group(1);
      for (var operation : path.getValue().properties()) {
        HttpMethod method = HttpMethod.valueOf(operation.getKey().toUpperCase(Locale.ROOT));
        String alices = ids.getOrDefault(name, "alice-" + name);
        String none = UUID.randomUUID().toString();
        Answer toAlices = call(b, method, path.getKey(), name, alices);
        Answer toNone = call(b, method, path.getKey(), name, none);
        String where = method + " " + path.getKey();
        boolean adminArea = ADMIN_AREAS.stream().anyMatch(path.getKey()::startsWith);
        assertThat(toAlices.status()).as(where).isEqualTo(adminArea ? 403 : 404);
        // Exactly the answer of an id that does not exist, the id itself aside.
        assertThat(toAlices.status()).as(where).isEqualTo(toNone.status());
        assertThat(toAlices.body().replace(alices, "{id}"))
            .as(where)
            .isEqualTo(toNone.body().replace(none, "{id}"));
        walked.add(where);
      }
    }
    assertThat(walked)
        .as("every kind of id the document has")
        .contains(
            "GET /api/v1/task/{task_id}",
            "DELETE /api/v1/task/{task_id}",
            "POST /api/v1/task/{task_id}/retry",
            "PUT /api/v1/task/{task_id}/favourite",
            "GET /api/v1/task/{task_id}/events",
            "POST /api/v1/task/{task_id}/move-to-front",
            "GET /api/v1/task/{task_id}/zip",
            "GET /api/v1/batch/{batch_id}/zip",
            "GET /api/v1/images/{image_id}",
            "GET /api/v1/images/{image_id}/thumbnail",
            "GET /api/v1/uploads/{upload_id}",
            "DELETE /api/v1/uploads/{upload_id}",
            "PUT /api/v1/presets/{preset_id}",
            "DELETE /api/v1/presets/{preset_id}",
            "DELETE /api/v1/tokens/{token_id}",
            "PATCH /api/v1/users/{user_id}");

    bsEventStreamCarriesHisTasksNotAlices(a, b);
    alicesIdsInBodiesAndFiltersAreUnknownToB(b, ids);
    bsListsHoldNothingOfAlices(b, ids);
    everythingOfAlicesIsAsItWas(a, ids);
  }

  /** A finished task with an image (a favourite), a batch, an upload, a preset and a token. */
  private Map<String, String> alicesThings(WebTestClient a) {
    Map<String, String> ids = new HashMap<>();
    String taskId =
        read(a.post()
                .uri("/api/v1/generate")
                .header("Idempotency-Key", "alices-key")
                .bodyValue(Map.of("prompt", "alice's lighthouse", "model", "general_v2.0"))
                .exchange()
                .expectStatus()
                .isAccepted())
            .path("task_id")
            .asString();
    JsonNode task = awaitFinished(a, taskId);
    ids.put("task_id", taskId);
    ids.put("image_id", task.path("images").get(0).path("image_id").asString());
    a.put().uri("/api/v1/task/" + taskId + "/favourite").exchange().expectStatus().isOk();
    JsonNode batch =
        read(
            a.post()
                .uri("/api/v1/generate/batch")
                .bodyValue(Map.of("prompts", List.of("alice's batch"), "model", "general_v2.0"))
                .exchange()
                .expectStatus()
                .isAccepted());
    ids.put("batch_id", batch.path("batch_id").asString());
    awaitFinished(a, batch.path("task_ids").get(0).asString());
    ids.put("upload_id", TestUploads.upload(a, TestImages.png(64, 48)));
    ids.put(
        "preset_id",
        read(a.post()
                .uri("/api/v1/presets")
                .bodyValue(
                    Map.of("name", "alice's preset", "params", Map.of("model", "general_v2.0")))
                .exchange()
                .expectStatus()
                .isCreated())
            .path("id")
            .asString());
    ids.put(
        "token_id",
        read(a.post()
                .uri("/api/v1/tokens")
                .bodyValue(Map.of("name", "alice's script"))
                .exchange()
                .expectStatus()
                .isCreated())
            .path("token_id")
            .asString());
    return ids;
  }

  private record Answer(int status, String body) {}

  private Answer call(WebTestClient b, HttpMethod method, String path, String name, String id) {
    String uri = path.replace("{" + name + "}", id);
    WebTestClient.RequestBodySpec request = b.method(method).uri(uri);
    // A valid body where one is needed, so the answer is about the id, not the body.
    if (uri.startsWith("/api/v1/presets/")) {
      request.bodyValue(Map.of("name", "bob's", "params", Map.of("model", "general_v2.0")));
    } else if (uri.startsWith("/api/v1/users/") && method == HttpMethod.PATCH) {
      request.bodyValue(Map.of("disabled", true));
    } else if (uri.startsWith("/api/v1/settings/credentials/") && method == HttpMethod.PUT) {
      request.bodyValue(Map.of("access_key", "AKLTbob", "secret_key", "c2VjcmV0"));
    }
    EntityExchangeResult<byte[]> result = request.exchange().expectBody().returnResult();
    byte[] body = result.getResponseBody();
    return new Answer(
        result.getStatus().value(),
        body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8));
  }

  private void alicesIdsInBodiesAndFiltersAreUnknownToB(WebTestClient b, Map<String, String> ids) {
    String none = UUID.randomUUID().toString();
    List<Map<String, Object>> bodies =
        List.of(
            Map.of("prompt", "bob's", "model", "general_v2.0", "preset_id", "{id}"),
            TestUploads.imageToImageRequest("{id}"));
    for (var template : bodies) {
      String key = template.containsKey("preset_id") ? "preset_id" : "upload_id";
      assertSameAsNone(
          b,
          HttpMethod.POST,
          "/api/v1/generate",
          withId(template, ids.get(key)),
          withId(template, none),
          ids.get(key),
          none);
    }
    assertSameAsNone(
        b,
        HttpMethod.POST,
        "/api/v1/edits",
        Map.of("operation", "upscale", "source_image_id", ids.get("image_id")),
        Map.of("operation", "upscale", "source_image_id", none),
        ids.get("image_id"),
        none);
    assertSameAsNone(
        b,
        HttpMethod.POST,
        "/api/v1/edits",
        Map.of("operation", "upscale", "source_upload_id", ids.get("upload_id")),
        Map.of("operation", "upscale", "source_upload_id", none),
        ids.get("upload_id"),
        none);
    assertSameAsNone(
        b,
        HttpMethod.POST,
        "/api/v1/images/zip",
        Map.of("image_ids", List.of(ids.get("image_id"))),
        Map.of("image_ids", List.of(none)),
        ids.get("image_id"),
        none);
    b.post()
        .uri("/api/v1/history/delete")
        .bodyValue(Map.of("task_ids", List.of(ids.get("task_id"))))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.deleted")
        .isEqualTo(0);
    // The same Idempotency-Key as Alice's is Bob's own: a new task of his, not hers.
    String bobsTask =
        read(b.post()
                .uri("/api/v1/generate")
                .header("Idempotency-Key", "alices-key")
                .bodyValue(Map.of("prompt", "alice's lighthouse", "model", "general_v2.0"))
                .exchange()
                .expectStatus()
                .isAccepted())
            .path("task_id")
            .asString();
    assertThat(bobsTask).isNotEqualTo(ids.get("task_id"));
    // A member may not look at another user's history or usage, nor follow everybody's events.
    for (String uri :
        List.of(
            "/api/v1/history?user_id=" + ids.get("user_id"),
            "/api/v1/usage?user_id=" + ids.get("user_id"),
            "/api/v1/history?user_id=all",
            "/api/v1/events?scope=all")) {
      b.get().uri(uri).exchange().expectStatus().isForbidden();
    }
  }

  /** Both submit while Bob listens: he hears of his own task to its end, never of Alice's. */
  private void bsEventStreamCarriesHisTasksNotAlices(WebTestClient a, WebTestClient b)
      throws InterruptedException {
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    reactor.core.Disposable listening =
        b.get()
            .uri("/api/v1/events")
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(
                new org.springframework.core.ParameterizedTypeReference<
                    org.springframework.http.codec.ServerSentEvent<String>>() {})
            .getResponseBody()
            .subscribe(event -> heard.add(event.event() + " " + event.data()));
    try {
      // The stream is open once its first comment has arrived: give it a moment.
      Thread.sleep(300);
      String alices = submit(a, "alice's secret");
      String bobs = submit(b, "bob's own");
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (heard.stream().noneMatch(e -> e.startsWith("task.completed") && e.contains(bobs))
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(heard).anyMatch(e -> e.startsWith("task.created") && e.contains(bobs));
      assertThat(heard).anyMatch(e -> e.startsWith("task.completed") && e.contains(bobs));
      assertThat(heard).noneMatch(e -> e.contains(alices) || e.contains("alice's secret"));
    } finally {
      listening.dispose();
    }
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

  private static Map<String, Object> withId(Map<String, Object> template, String id) {
    Map<String, Object> body = new HashMap<>();
    template.forEach(
        (k, v) ->
            body.put(
                k,
                v instanceof List<?> list
                    ? list.stream().map(x -> "{id}".equals(x) ? id : x).toList()
                    : "{id}".equals(v) ? id : v));
    return body;
  }

  private void assertSameAsNone(
      WebTestClient b,
      HttpMethod method,
      String uri,
      Object alices,
      Object none,
      String alicesId,
      String noneId) {
    EntityExchangeResult<byte[]> toAlices =
        b.method(method).uri(uri).bodyValue(alices).exchange().expectBody().returnResult();
    EntityExchangeResult<byte[]> toNone =
        b.method(method).uri(uri).bodyValue(none).exchange().expectBody().returnResult();
    assertThat(toAlices.getStatus().value()).as(uri).isEqualTo(toNone.getStatus().value());
    assertThat(toAlices.getStatus().is2xxSuccessful()).as(uri).isFalse();
    assertThat(new String(toAlices.getResponseBody()).replace(alicesId, "{id}"))
        .as(uri)
        .isEqualTo(new String(toNone.getResponseBody()).replace(noneId, "{id}"));
  }

  private void bsListsHoldNothingOfAlices(WebTestClient b, Map<String, String> ids) {
    for (String uri :
        List.of(
            "/api/v1/history",
            "/api/v1/history?favourite=true",
            "/api/v1/history?q=alice",
            "/api/v1/history?source_image_id=" + ids.get("image_id"),
            "/api/v1/tasks",
            "/api/v1/tasks?batch_id=" + ids.get("batch_id"),
            "/api/v1/presets",
            "/api/v1/tokens",
            "/api/v1/queue",
            "/api/v1/usage")) {
      String body =
          new String(
              b.get()
                  .uri(uri)
                  .exchange()
                  .expectStatus()
                  .isOk()
                  .expectBody()
                  .returnResult()
                  .getResponseBody());
      for (var id : ids.entrySet()) {
        if (!id.getKey().equals("user_id")) {
          assertThat(body).as(uri + " must not show " + id.getKey()).doesNotContain(id.getValue());
        }
      }
    }
    // Bob's tasks are his two (one made with the same request and key as Alice's first).
    assertThat(
            read(b.get().uri("/api/v1/tasks").exchange().expectStatus().isOk())
                .path("items")
                .size())
        .isEqualTo(2);
    // Bob's usage is his own: the task he followed on the stream and the one with Alice's key.
    assertThat(
            read(b.get().uri("/api/v1/usage").exchange().expectStatus().isOk())
                .path("month")
                .path("tasks")
                .asLong())
        .isEqualTo(2);
  }

  private void everythingOfAlicesIsAsItWas(WebTestClient a, Map<String, String> ids) {
    JsonNode task =
        read(a.get().uri("/api/v1/task/" + ids.get("task_id")).exchange().expectStatus().isOk());
    assertThat(task.path("status").asString()).isEqualTo("completed");
    assertThat(task.path("favourite").asBoolean()).isTrue();
    a.get().uri("/api/v1/images/" + ids.get("image_id")).exchange().expectStatus().isOk();
    a.get().uri("/api/v1/uploads/" + ids.get("upload_id")).exchange().expectStatus().isOk();
    a.get().uri("/api/v1/batch/" + ids.get("batch_id") + "/zip").exchange().expectStatus().isOk();
    JsonNode presets = read(a.get().uri("/api/v1/presets").exchange().expectStatus().isOk());
    assertThat(presets.path("items").get(0).path("name").asString()).isEqualTo("alice's preset");
    assertThat(read(a.get().uri("/api/v1/tokens").exchange().expectStatus().isOk()).toString())
        .contains(ids.get("token_id"));
    // Her three tasks, whatever state the last one is in by now.
    assertThat(
            read(a.get().uri("/api/v1/tasks").exchange().expectStatus().isOk())
                .path("items")
                .size())
        .isEqualTo(3);
  }

  private JsonNode awaitFinished(WebTestClient client, String taskId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode task =
          read(client.get().uri("/api/v1/task/" + taskId).exchange().expectStatus().isOk());
      if (task.path("status").asString().equals("completed")) {
        return task;
      }
      assertThat(System.nanoTime()).as("task " + taskId + " finished").isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
