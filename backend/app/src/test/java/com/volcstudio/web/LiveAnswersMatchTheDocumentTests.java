package com.volcstudio.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import com.volcstudio.upload.TestImages;
import com.volcstudio.web.DocumentedResponses.Operation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every operation of {@code /api/docs/openapi.json} is called on the running app, with real data
 * behind it (finished, failed, queued, cancelled and batch tasks, an upload, a preset, a quota,
 * stored keys that work and keys that do not), and every answer must be what the document declares
 * for its status: what a client generated from the document expects. The operations are read from
 * the document, so one added later fails here until the scenario calls it.
 *
 * <p>Demo mode against the built-in emulator; keys entered through the API point at a standalone
 * emulator on loopback that knows them.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=50ms",
      // So that a 413 costs a small body.
      "UPLOAD_MAX_MB=1",
      // A context of its own: this class stores keys and settings.
      "test.context=live-answers"
    })
@AutoConfigureWebTestClient
@DirtiesContext
class LiveAnswersMatchTheDocumentTests {

  private static final String ACCESS_KEY = "AKLTliveanswerstests000000000001";
  private static final String SECRET_KEY = "bGl2ZS1hbnN3ZXJzLXRlc3RzLXNlY3JldC1rZXk=";
  private static final String ARK_KEY = "ark-live-answers-tests-0000-0000-000000000001";
  private static final String UNKNOWN_ID = "8d0c7f6e-3b1a-4c2e-9f47-1a2b3c4d5e6f";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final VolcEmulator standalone =
      VolcEmulator.start(
          EmulatorSettings.loopback(0, ACCESS_KEY, SECRET_KEY, Duration.ofMillis(20))
              .withArkApiKey(ARK_KEY));

  @DynamicPropertySource
  static void enteredKeysGoToTheStandaloneEmulator(DynamicPropertyRegistry registry) {
    registry.add("volc.endpoint", () -> standalone.endpoint().toString());
    registry.add("ark.endpoint", () -> standalone.endpoint() + "/api/v3");
  }

  @AfterAll
  static void stopEmulator() {
    standalone.close();
  }

  @Autowired WebTestClient http;

  @Test
  void everyOperationAnswersWhatTheDocumentDeclaresForItsStatus() {
    CheckedCalls calls = new CheckedCalls(http, new DocumentedResponses(document()));

    freshInstall(calls);
    String uploadId = calls.upload(201, TestImages.png(64, 64)).get("upload_id").asString();
    calls.call(200, HttpMethod.GET, "/api/v1/uploads/{upload_id}", null, uploadId);
    calls.upload(413, new byte[1536 * 1024]);
    calls.upload(415, "not an image".getBytes(StandardCharsets.UTF_8));

    JsonNode completed = awaitEnd(calls, submit(calls, Map.of("prompt", "a lighthouse at dusk")));
    String taskId = completed.get("task_id").asString();
    awaitEnd(
        calls,
        submit(
            calls,
            Map.of(
                "prompt",
                "make it a watercolour",
                "model",
                "jimeng_i2i_v3.0",
                "reference_image_ids",
                List.of(uploadId))));
    String failedId = failedAndRetried(calls);
    String batchId = batch(calls);
    queue(calls, taskId, uploadId);
    taskActions(calls, completed);
    presets(calls);
    backups(calls);
    quota(calls);
    credentials(calls);
    history(calls, failedId, taskId, batchId);
    auth(calls);

    assertThat(calls.notCalled())
        .as("operations of the document this test does not call: call each in the scenario")
        .isEmpty();
    assertThat(calls.mismatches())
        .as("answers (of %d checked) that differ from the document", calls.answers())
        .isEmpty();
  }

  /**
   * The check is not vacuous: a real answer with a field nulled that the document says cannot be
   * null, or with a required field left out, is a mismatch.
   */
  @Test
  void anAnswerWithANullOrAMissingFieldTheDocumentForbidsIsAMismatch() {
    DocumentedResponses document = new DocumentedResponses(document());
    CheckedCalls calls = new CheckedCalls(http, document);
    String id = submit(calls, Map.of("prompt", "a real answer to spoil"));
    JsonNode task = awaitEnd(calls, id);
    assertThat(calls.mismatches()).as("the answer as it came").isEmpty();
    Operation get = new Operation("GET", "/api/v1/task/{task_id}");

    ObjectNode nullPrompt = (ObjectNode) task.deepCopy();
    nullPrompt.putNull("prompt");
    assertThat(document.mismatches(get, 200, MediaType.APPLICATION_JSON, bytes(nullPrompt)))
        .singleElement(STRING)
        .contains("prompt");

    ObjectNode noStatus = (ObjectNode) task.deepCopy();
    noStatus.remove("status");
    assertThat(document.mismatches(get, 200, MediaType.APPLICATION_JSON, bytes(noStatus)))
        .singleElement(STRING)
        .contains("status");
  }

  /** Before anything was made: the answers full of nulls. */
  private static void freshInstall(CheckedCalls calls) {
    calls.get("/api/v1/auth/me");
    calls.get("/api/v1/models");
    calls.get("/api/v1/styles");
    calls.get("/api/v1/presets");
    calls.get("/api/v1/settings");
    calls.get("/api/v1/system/info");
    calls.get("/api/v1/usage");
    calls.get("/api/v1/queue");
    calls.get("/api/v1/history");
    calls.get("/api/v1/tasks");
    calls.call(400, HttpMethod.GET, "/api/v1/usage?from=yesterday", null);
    calls.call(400, HttpMethod.POST, "/api/v1/generate", "{\"width\": \"wide\"}");
  }

  /** A task the upstream refuses, retried once: its error is set, then cleared, then set again. */
  private static String failedAndRetried(CheckedCalls calls) {
    String id = submit(calls, Map.of("prompt", "__fault_50412__ refused upstream"));
    assertThat(awaitEnd(calls, id).get("status").asString()).isEqualTo("failed");
    calls.call(200, HttpMethod.POST, "/api/v1/task/{task_id}/retry", null, id);
    assertThat(awaitEnd(calls, id).get("status").asString()).isEqualTo("failed");
    return id;
  }

  private static String batch(CheckedCalls calls) {
    calls.call(
        200,
        HttpMethod.POST,
        "/api/v1/generate/batch",
        Map.of("prompt", "a fox, estimated only", "seeds", List.of(1, 2), "dry_run", true));
    JsonNode plan =
        calls.call(
            202,
            HttpMethod.POST,
            "/api/v1/generate/batch",
            Map.of("prompts", List.of("a red fox", "a grey fox")));
    plan.get("task_ids").forEach(id -> awaitEnd(calls, id.asString()));
    String batchId = plan.get("batch_id").asString();
    calls.get("/api/v1/tasks?batch_id={batch_id}", batchId);
    calls.call(200, HttpMethod.GET, "/api/v1/batch/{batch_id}/zip", null, batchId);
    return batchId;
  }

  /**
   * Paused: tasks wait with a place and an estimate, one moves to the front, one is cancelled, an
   * upload a waiting task needs cannot be deleted; finished tasks can be neither moved nor
   * cancelled.
   */
  private static void queue(CheckedCalls calls, String finishedId, String uploadId) {
    calls.call(200, HttpMethod.POST, "/api/v1/queue/pause", null);
    String first = submit(calls, Map.of("prompt", "waiting first"));
    String second =
        submit(
            calls,
            Map.of(
                "prompt",
                "waiting second, with a reference",
                "model",
                "jimeng_i2i_v3.0",
                "reference_image_ids",
                List.of(uploadId)));
    calls.get("/api/v1/task/{task_id}", second);
    calls.get("/api/v1/queue");
    calls.get("/api/v1/tasks?status=pending");
    calls.call(200, HttpMethod.POST, "/api/v1/task/{task_id}/move-to-front", null, second);
    calls.call(200, HttpMethod.POST, "/api/v1/task/{task_id}/cancel", null, first);
    calls.call(409, HttpMethod.DELETE, "/api/v1/uploads/{upload_id}", null, uploadId);
    calls.call(409, HttpMethod.POST, "/api/v1/task/{task_id}/cancel", null, finishedId);
    calls.call(409, HttpMethod.POST, "/api/v1/task/{task_id}/move-to-front", null, finishedId);
    calls.call(200, HttpMethod.POST, "/api/v1/queue/resume", null);
    awaitEnd(calls, second);
    calls.call(204, HttpMethod.DELETE, "/api/v1/uploads/{upload_id}", null, uploadId);
  }

  /** Favourites, files, archives and event streams of a finished task. */
  private static void taskActions(CheckedCalls calls, JsonNode task) {
    String id = task.get("task_id").asString();
    String imageId = task.get("images").get(0).get("image_id").asString();
    calls.call(200, HttpMethod.PUT, "/api/v1/task/{task_id}/favourite", null, id);
    calls.get("/api/v1/history?favourite=true");
    calls.call(200, HttpMethod.DELETE, "/api/v1/task/{task_id}/favourite", null, id);
    calls.get("/api/v1/images/{image_id}", imageId);
    calls.get("/api/v1/images/{image_id}/thumbnail", imageId);
    calls.call(404, HttpMethod.GET, "/api/v1/images/{image_id}", null, UNKNOWN_ID);
    calls.get("/api/v1/task/{task_id}/zip", id);
    calls.call(200, HttpMethod.POST, "/api/v1/images/zip", Map.of("image_ids", List.of(imageId)));
    calls.call(400, HttpMethod.POST, "/api/v1/images/zip", Map.of("image_ids", List.of()));
    calls.call(
        202,
        HttpMethod.POST,
        "/api/v1/edits",
        Map.of("source_image_id", imageId, "operation", "remove_background"));
    calls.call(400, HttpMethod.POST, "/api/v1/edits", Map.of("source_image_id", imageId));
    calls.get("/api/v1/history?source_image_id={image_id}", imageId);
    calls.stream("/api/v1/task/{task_id}/events", Duration.ofSeconds(5), id);
    calls.stream("/api/v1/events", Duration.ofMillis(300));
  }

  private static void presets(CheckedCalls calls) {
    Map<String, Object> params =
        Map.of("model", "general_v3.0", "width", 1024, "height", 1024, "num_images", 2);
    String id =
        calls
            .call(
                201,
                HttpMethod.POST,
                "/api/v1/presets",
                Map.of("name", "Square, two", "params", params))
            .get("id")
            .asString();
    calls.call(400, HttpMethod.POST, "/api/v1/presets", Map.of("name", "No params"));
    calls.call(
        200,
        HttpMethod.PUT,
        "/api/v1/presets/{preset_id}",
        Map.of("name", "Square, two (renamed)", "params", Map.of("model", "general_v3.0")),
        id);
    calls.get("/api/v1/presets");
    calls.call(204, HttpMethod.DELETE, "/api/v1/presets/{preset_id}", null, id);
    calls.call(404, HttpMethod.DELETE, "/api/v1/presets/{preset_id}", null, id);
  }

  /** A backup of the studio as it is now; listed, downloaded; an unknown name is not found. */
  private static void backups(CheckedCalls calls) {
    String name =
        calls
            .call(201, HttpMethod.POST, "/api/v1/backups", Map.of("include_master_key", false))
            .get("name")
            .asString();
    calls.get("/api/v1/backups");
    calls.get("/api/v1/backups/{name}", name);
    calls.call(
        404, HttpMethod.GET, "/api/v1/backups/{name}", null, "studio-backup-20000101-000000.zip");
  }

  /** A monthly quota set: it shows in the info and the usage, and refuses a submit over it. */
  private static void quota(CheckedCalls calls) {
    calls.call(200, HttpMethod.PATCH, "/api/v1/settings", "{\"monthly_image_quota\": 1}");
    calls.get("/api/v1/system/info");
    calls.get("/api/v1/usage");
    calls.call(429, HttpMethod.POST, "/api/v1/generate", Map.of("prompt", "one too many"));
    calls.call(200, HttpMethod.PATCH, "/api/v1/settings", "{\"monthly_image_quota\": null}");
    calls.call(400, HttpMethod.PATCH, "/api/v1/settings", "{\"max_concurrent_tasks\": 0}");
  }

  /** Keys stored (live mode, masked keys), tested, wrong, and deleted again (demo mode). */
  private static void credentials(CheckedCalls calls) {
    String volcengine = "/api/v1/settings/credentials/{provider}";
    String test = "/api/v1/settings/credentials/{provider}/test";
    calls.call(
        200,
        HttpMethod.PUT,
        volcengine,
        Map.of("access_key", ACCESS_KEY, "secret_key", SECRET_KEY),
        "volcengine");
    calls.call(200, HttpMethod.PUT, volcengine, Map.of("api_key", ARK_KEY), "ark");
    calls.get("/api/v1/settings");
    calls.get("/api/v1/system/info");
    calls.call(200, HttpMethod.POST, test, Map.of("api_key", ARK_KEY), "ark");
    calls.call(
        200,
        HttpMethod.POST,
        test,
        Map.of("access_key", "AKLTnobodyhasthiskey000000000001", "secret_key", SECRET_KEY),
        "volcengine");
    calls.call(400, HttpMethod.PUT, volcengine, Map.of("access_key", ACCESS_KEY), "volcengine");
    calls.call(404, HttpMethod.POST, test, null, "openai");
    calls.call(
        200,
        HttpMethod.PUT,
        volcengine,
        Map.of("access_key", ACCESS_KEY, "secret_key", "d3Jvbmctc2VjcmV0LWtleS1mb3ItdGhlLXRlc3Q="),
        "volcengine");
    calls.get("/api/v1/system/info");
    calls.call(200, HttpMethod.DELETE, volcengine, null, "volcengine");
    calls.call(200, HttpMethod.DELETE, volcengine, null, "ark");
    calls.call(404, HttpMethod.DELETE, volcengine, null, "openai");
  }

  private static void history(CheckedCalls calls, String failedId, String taskId, String batchId) {
    calls.get("/api/v1/history?q=lighthouse");
    calls.get("/api/v1/history?status=failed&limit=1");
    calls.get("/api/v1/tasks?limit=2");
    calls.call(400, HttpMethod.GET, "/api/v1/history?page=0", null);
    calls.get("/api/v1/system/info");
    calls.get("/api/v1/usage");
    calls.call(
        200, HttpMethod.POST, "/api/v1/history/delete", Map.of("task_ids", List.of(failedId)));
    calls.call(
        400, HttpMethod.POST, "/api/v1/history/delete", Map.of("task_ids", List.of("nonsense")));
    calls.call(204, HttpMethod.DELETE, "/api/v1/task/{task_id}", null, taskId);
    calls.call(404, HttpMethod.GET, "/api/v1/task/{task_id}", null, taskId);
    calls.call(404, HttpMethod.GET, "/api/v1/task/{task_id}/zip", null, UNKNOWN_ID);
    calls.call(404, HttpMethod.GET, "/api/v1/batch/{batch_id}/zip", null, UNKNOWN_ID);
    calls.get("/api/v1/tasks?batch_id={batch_id}", batchId);
  }

  /** Login is off in this configuration: logging in is not found, logging out still works. */
  private static void auth(CheckedCalls calls) {
    calls.call(
        404,
        HttpMethod.POST,
        "/api/v1/auth/login",
        Map.of("username", "somebody", "password", "something"));
    calls.call(204, HttpMethod.POST, "/api/v1/auth/logout", null);
    calls.get("/api/v1/auth/me");
    // Login is off here: no accounts, no tokens (account.AccountApiTests has them with login on).
    calls.call(404, HttpMethod.GET, "/api/v1/users", null);
    calls.call(
        404, HttpMethod.POST, "/api/v1/users", Map.of("username", "li", "password", "12345678"));
    calls.call(404, HttpMethod.GET, "/api/v1/users/{user_id}", null, UNKNOWN_ID);
    calls.call(
        404, HttpMethod.PATCH, "/api/v1/users/{user_id}", Map.of("disabled", true), UNKNOWN_ID);
    calls.call(404, HttpMethod.DELETE, "/api/v1/users/{user_id}", null, UNKNOWN_ID);
    calls.call(404, HttpMethod.GET, "/api/v1/tokens", null);
    calls.call(404, HttpMethod.POST, "/api/v1/tokens", Map.of("name", "script"));
    calls.call(404, HttpMethod.DELETE, "/api/v1/tokens/{token_id}", null, UNKNOWN_ID);
    calls.get("/api/v1/audit");
  }

  private static String submit(CheckedCalls calls, Map<String, Object> request) {
    return calls.call(202, HttpMethod.POST, "/api/v1/generate", request).get("task_id").asString();
  }

  /** Polls the task until it has ended; every answer on the way (pending, running) is checked. */
  private static JsonNode awaitEnd(CheckedCalls calls, String taskId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      JsonNode task = calls.get("/api/v1/task/{task_id}", taskId);
      String status = task.get("status").asString();
      seen.add(status);
      if (status.equals("completed") || status.equals("failed") || status.equals("cancelled")) {
        return task;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("task " + taskId + " did not end within 30 s: " + seen);
  }

  private String document() {
    // Built on the first request, which takes seconds on a busy machine.
    return http.mutate()
        .responseTimeout(Duration.ofSeconds(60))
        .build()
        .get()
        .uri("/api/docs/openapi.json")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  private static byte[] bytes(JsonNode json) {
    return JSON.writeValueAsBytes(json);
  }
}
