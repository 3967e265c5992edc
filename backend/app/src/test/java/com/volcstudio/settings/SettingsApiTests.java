package com.volcstudio.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.config.StudioProperties;
import com.volcstudio.connection.Providers;
import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The settings API end to end. The app starts without keys (demo mode, its own emulator);
 * VOLC_ENDPOINT and ARK_ENDPOINT point at a standalone emulator with known keys, so keys entered
 * through the API take the app live against it, and deleting them takes it back to demo mode.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "DEMO_LATENCY=20ms"})
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class SettingsApiTests {

  static final String ACCESS_KEY = "AKLTsettingsapitests000000000001";
  static final String SECRET_KEY = "c2V0dGluZ3MtYXBpLXRlc3RzLXNlY3JldC1rZXk=";
  static final String ARK_KEY = "ark-settings-api-tests-0000-0000-000000000001";

  private static final VolcEmulator standalone =
      VolcEmulator.start(
          EmulatorSettings.loopback(0, ACCESS_KEY, SECRET_KEY, Duration.ofMillis(20))
              .withArkApiKey(ARK_KEY));
  private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
      new ParameterizedTypeReference<>() {};

  @DynamicPropertySource
  static void providerEndpointsAreTheStandaloneEmulator(DynamicPropertyRegistry registry) {
    registry.add("volc.endpoint", () -> standalone.endpoint().toString());
    registry.add("ark.endpoint", () -> standalone.endpoint() + "/api/v3");
  }

  @AfterAll
  static void stopEmulator() {
    standalone.close();
  }

  @Autowired WebTestClient http;
  @Autowired Providers providers;
  @Autowired CurrentSettings settings;
  @Autowired DatabaseClient db;
  @Autowired StudioProperties studio;

  @AfterEach
  void backToTheEnvironmentsSettings() {
    http.delete().uri("/api/v1/settings/credentials/volcengine").exchange().expectStatus().isOk();
    http.delete().uri("/api/v1/settings/credentials/ark").exchange().expectStatus().isOk();
    db.sql("DELETE FROM runtime_setting").then().block();
    settings.apply(Map.of());
  }

  @Test
  void withoutKeysItIsDemoModeAndTheRuntimeSettingsAreTheEnvironments() {
    http.get()
        .uri("/api/v1/settings")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.mode")
        .isEqualTo("demo")
        .jsonPath("$.credentials.volcengine.configured")
        .isEqualTo(false)
        .jsonPath("$.credentials.volcengine.source")
        .isEmpty()
        .jsonPath("$.credentials.volcengine.access_key_masked")
        .isEmpty()
        .jsonPath("$.credentials.ark.configured")
        .isEqualTo(false)
        .jsonPath("$.runtime.volc_qps")
        .isEqualTo(2.0)
        .jsonPath("$.runtime.volc_concurrency")
        .isEqualTo(2)
        .jsonPath("$.runtime.ark_rpm")
        .isEqualTo(500)
        .jsonPath("$.runtime.ark_concurrency")
        .isEqualTo(2)
        .jsonPath("$.runtime.max_concurrent_tasks")
        .isEqualTo(2)
        .jsonPath("$.runtime.default_model")
        .isEmpty()
        .jsonPath("$.runtime.max_history_days")
        .isEqualTo(30)
        .jsonPath("$.runtime.max_storage_gb")
        .isEqualTo(100.0);
  }

  @Test
  void keysEnteredTakeTheAppLiveAndDeletingThemTakesItBackToDemoMode() {
    String body =
        http.put()
            .uri("/api/v1/settings/credentials/volcengine")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("access_key", ACCESS_KEY, "secret_key", SECRET_KEY))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(body)
        .contains("\"mode\":\"live\"")
        .contains("\"source\":\"stored\"")
        .contains("\"access_key_masked\":\"AKLT****0001\"")
        .doesNotContain(ACCESS_KEY)
        .doesNotContain(SECRET_KEY);
    assertThat(providers.visual())
        .hasValueSatisfying(c -> assertThat(c.endpoint()).isEqualTo(standalone.endpoint()));
    http.get()
        .uri("/api/v1/system/info")
        .exchange()
        .expectBody()
        .jsonPath("$.mode")
        .isEqualTo("live")
        .jsonPath("$.api_connected")
        .isEqualTo(true)
        .jsonPath("$.api_error")
        .isEmpty();
    int before = cvProcessCallsAtTheStandaloneEmulator();
    assertThat(
            generate(Map.of("prompt", "stored keys cat", "width", 512, "height", 512))
                .get("status"))
        .isEqualTo("completed");
    assertThat(cvProcessCallsAtTheStandaloneEmulator()).isGreaterThan(before);

    http.delete()
        .uri("/api/v1/settings/credentials/volcengine")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.mode")
        .isEqualTo("demo")
        .jsonPath("$.credentials.volcengine.configured")
        .isEqualTo(false);
    http.get()
        .uri("/api/v1/system/info")
        .exchange()
        .expectBody()
        .jsonPath("$.mode")
        .isEqualTo("demo")
        .jsonPath("$.api_connected")
        .isEqualTo(true);
    int live = cvProcessCallsAtTheStandaloneEmulator();
    assertThat(
            generate(Map.of("prompt", "demo again cat", "width", 512, "height", 512)).get("status"))
        .isEqualTo("completed");
    assertThat(cvProcessCallsAtTheStandaloneEmulator()).isEqualTo(live);

    // Both changes are in the audit log, naming the provider and never a key.
    String audit =
        http.get()
            .uri("/api/v1/audit?actor=anonymous")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(audit)
        .contains("\"action\":\"credentials.stored\"")
        .contains("\"action\":\"credentials.removed\"")
        .contains("\"target\":\"volcengine\"")
        .doesNotContain(ACCESS_KEY)
        .doesNotContain(SECRET_KEY);
  }

  @Test
  void anArkKeyAloneIsLiveWithOnlyTheArkModels() {
    http.put()
        .uri("/api/v1/settings/credentials/ark")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("api_key", ARK_KEY))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.mode")
        .isEqualTo("live")
        .jsonPath("$.credentials.ark.configured")
        .isEqualTo(true)
        .jsonPath("$.credentials.ark.api_key_masked")
        .isEqualTo("****0001")
        .jsonPath("$.credentials.volcengine.configured")
        .isEqualTo(false);
    http.get()
        .uri("/api/v1/system/info")
        .exchange()
        .expectBody()
        .jsonPath("$.api_connected")
        .isEqualTo(true)
        .jsonPath("$.models[0]")
        .isEqualTo("seedream_3.0");
  }

  @Test
  void wrongKeysMakeSystemInfoReportNotConnectedWithTheReason() {
    http.put()
        .uri("/api/v1/settings/credentials/volcengine")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "access_key", ACCESS_KEY, "secret_key", "d3Jvbmctc2VjcmV0LWtleS1mb3ItdGhlLXRlc3Q="))
        .exchange()
        .expectStatus()
        .isOk();
    http.get()
        .uri("/api/v1/system/info")
        .exchange()
        .expectBody()
        .jsonPath("$.mode")
        .isEqualTo("live")
        .jsonPath("$.api_connected")
        .isEqualTo(false)
        .jsonPath("$.api_error.provider")
        .isEqualTo("visual")
        .jsonPath("$.api_error.code")
        .isEqualTo("SignatureDoesNotMatch")
        .jsonPath("$.api_error.message.en")
        .isNotEmpty()
        .jsonPath("$.api_error.message.zh")
        .isNotEmpty();
  }

  @Test
  void testingKeysMakesAFreeRealCallAndSaysWhetherTheyWereAccepted() {
    test("volcengine", Map.of("access_key", ACCESS_KEY, "secret_key", SECRET_KEY))
        .jsonPath("$.ok")
        .isEqualTo(true)
        .jsonPath("$.code")
        .isEmpty()
        .jsonPath("$.latency_ms")
        .isNumber();
    test(
            "volcengine",
            Map.of("access_key", "AKLTnobodyhasthiskey000000000001", "secret_key", SECRET_KEY))
        .jsonPath("$.ok")
        .isEqualTo(false)
        .jsonPath("$.code")
        .isEqualTo("InvalidAccessKey")
        .jsonPath("$.message.zh")
        .isNotEmpty()
        .jsonPath("$.message.en")
        .isNotEmpty();
    test("ark", Map.of("api_key", ARK_KEY)).jsonPath("$.ok").isEqualTo(true);
    test("ark", Map.of("api_key", "ark-not-the-right-key-000000000000"))
        .jsonPath("$.ok")
        .isEqualTo(false)
        .jsonPath("$.code")
        .isEqualTo("AuthenticationError");
    // Without a body: the keys in use, here the built-in emulator's.
    http.post()
        .uri("/api/v1/settings/credentials/volcengine/test")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.ok")
        .isEqualTo(true);
    // Nothing was stored by testing.
    http.get().uri("/api/v1/settings").exchange().expectBody().jsonPath("$.mode").isEqualTo("demo");
  }

  @Test
  void badCredentialInputIsAFieldErrorThatNeverEchoesTheKeyAndStoresNothing() {
    problem(
            http.put()
                .uri("/api/v1/settings/credentials/volcengine")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("access_key", ACCESS_KEY))
                .exchange())
        .jsonPath("$.errors[0].field")
        .isEqualTo("secret_key");
    problem(
            http.put()
                .uri("/api/v1/settings/credentials/ark")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("api_key", ARK_KEY, "secret_key", SECRET_KEY))
                .exchange())
        .jsonPath("$.errors[0].field")
        .isEqualTo("secret_key")
        .jsonPath("$.errors[0].reason")
        .value(r -> assertThat((String) r).contains("volcengine"));
    String spaced = "AKLT with spaces 1234567890";
    String answer =
        http.put()
            .uri("/api/v1/settings/credentials/volcengine")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("access_key", spaced, "secret_key", SECRET_KEY))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(answer).contains("access_key").doesNotContain(spaced).doesNotContain(SECRET_KEY);
    problem(
            http.put()
                .uri("/api/v1/settings/credentials/volcengine")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{not json")
                .exchange())
        .jsonPath("$.errors[0].field")
        .isEqualTo("body");
    problem(
            http.put()
                .uri("/api/v1/settings/credentials/volcengine")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("access_key", 42, "secret_key", SECRET_KEY))
                .exchange())
        .jsonPath("$.errors[0].field")
        .isEqualTo("access_key");
    problem(http.put().uri("/api/v1/settings/credentials/volcengine").exchange())
        .jsonPath("$.errors[0].field")
        .isEqualTo("body");
    http.put()
        .uri("/api/v1/settings/credentials/openai")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("api_key", ARK_KEY))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    http.delete().uri("/api/v1/settings/credentials/openai").exchange().expectStatus().isNotFound();
    http.post()
        .uri("/api/v1/settings/credentials/openai/test")
        .exchange()
        .expectStatus()
        .isNotFound();
    assertThat(
            db.sql("SELECT COUNT(*) AS n FROM stored_credential")
                .map(row -> row.get("n", Long.class))
                .one()
                .block())
        .isZero();
    http.get().uri("/api/v1/settings").exchange().expectBody().jsonPath("$.mode").isEqualTo("demo");
  }

  @Test
  void runtimeSettingsChangeWithoutRestartAndAreStored() {
    http.patch()
        .uri("/api/v1/settings")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "volc_qps",
                5.5,
                "max_concurrent_tasks",
                3,
                "ark_rpm",
                120,
                "default_model",
                "general_v3.0",
                "default_width",
                768,
                "default_height",
                768,
                "default_num_images",
                2,
                "max_storage_gb",
                0.5))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.runtime.volc_qps")
        .isEqualTo(5.5)
        .jsonPath("$.runtime.max_concurrent_tasks")
        .isEqualTo(3)
        .jsonPath("$.runtime.default_model")
        .isEqualTo("general_v3.0")
        .jsonPath("$.runtime.max_storage_gb")
        .isEqualTo(0.5)
        .jsonPath("$.runtime.volc_concurrency")
        .isEqualTo(2);
    // What the upstream governor and the dispatcher read at their next call.
    assertThat(settings.visualQps()).isEqualTo(5.5);
    assertThat(settings.arkRpm()).isEqualTo(120);
    http.get().uri("/api/v1/queue").exchange().expectBody().jsonPath("$.concurrency").isEqualTo(3);
    assertThat(
            db.sql("SELECT value_json FROM runtime_setting WHERE name = 'volc_qps'")
                .map(row -> row.get("value_json", String.class))
                .one()
                .block())
        .isEqualTo("5.5");
    // A request that leaves them out gets the default model, size and count.
    Map<String, Object> task = generate(Map.of("prompt", "defaults cat"));
    assertThat(task).containsEntry("model", "general_v3.0").containsEntry("num_images", 2);
    assertThat((List<?>) task.get("images"))
        .hasSize(2)
        .allSatisfy(
            image ->
                assertThat(
                        List.of(
                            ((Map<?, ?>) image).get("width"), ((Map<?, ?>) image).get("height")))
                    .containsExactly(768, 768));

    // null puts a limit back to the environment's value, and makes a default "none".
    http.patch()
        .uri("/api/v1/settings")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            "{\"volc_qps\": null, \"default_model\": null, \"default_width\": null, \"default_height\": null}")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.runtime.volc_qps")
        .isEqualTo(2.0)
        .jsonPath("$.runtime.default_model")
        .isEmpty()
        .jsonPath("$.runtime.max_concurrent_tasks")
        .isEqualTo(3);
  }

  @Test
  void invalidRuntimeSettingsAreFieldErrorsAllAtOnceAndNothingApplies() {
    problem(
            http.patch()
                .uri("/api/v1/settings")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(
                    "{\"volc_qps\": \"abc\", \"max_concurrent_tasks\": 2.5, \"ark_concurrency\": 0, \"default_model\": \"dall-e\","
                        + " \"max_history_days\": -1, \"speed\": 11}")
                .exchange())
        .jsonPath("$.errors.length()")
        .isEqualTo(6)
        .jsonPath("$.errors[?(@.field == 'volc_qps')].reason")
        .isNotEmpty()
        .jsonPath("$.errors[?(@.field == 'max_concurrent_tasks')].reason")
        .isNotEmpty()
        .jsonPath("$.errors[?(@.field == 'ark_concurrency')].reason")
        .isNotEmpty()
        .jsonPath("$.errors[?(@.field == 'default_model')].reason")
        .isNotEmpty()
        .jsonPath("$.errors[?(@.field == 'max_history_days')].reason")
        .isNotEmpty()
        .jsonPath("$.errors[?(@.field == 'speed')].reason")
        .isNotEmpty();
    problem(
            http.patch()
                .uri("/api/v1/settings")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"volc_qps\": 9, \"default_width\": 1024}")
                .exchange())
        .jsonPath("$.errors[0].field")
        .isEqualTo("default_height");
    problem(
            http.patch()
                .uri("/api/v1/settings")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"default_width\": 100000, \"default_height\": 1}")
                .exchange())
        .jsonPath("$.errors[0].field")
        .isEqualTo("default_width");
    problem(
            http.patch()
                .uri("/api/v1/settings")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[1, 2]")
                .exchange())
        .jsonPath("$.errors[0].field")
        .isEqualTo("body");
    problem(
            http.patch()
                .uri("/api/v1/settings")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{oops")
                .exchange())
        .jsonPath("$.errors[0].field")
        .isEqualTo("body");
    assertThat(settings.visualQps()).isEqualTo(2.0);
    assertThat(
            db.sql("SELECT COUNT(*) AS n FROM runtime_setting")
                .map(row -> row.get("n", Long.class))
                .one()
                .block())
        .isZero();
  }

  @Test
  void storedKeysAreInNoFileInPlaintextNorInTheLog(CapturedOutput output) throws Exception {
    // From here on: the standalone emulator announced its own access key when the class started it.
    int logStart = output.getAll().length();
    http.put()
        .uri("/api/v1/settings/credentials/volcengine")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("access_key", ACCESS_KEY, "secret_key", SECRET_KEY))
        .exchange()
        .expectStatus()
        .isOk();
    http.put()
        .uri("/api/v1/settings/credentials/ark")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("api_key", ARK_KEY))
        .exchange()
        .expectStatus()
        .isOk();
    test(
        "volcengine",
        Map.of("access_key", ACCESS_KEY, "secret_key", "d3Jvbmctc2VjcmV0LWtleS1mb3ItdGhlLXRlc3Q="));
    http.get().uri("/api/v1/system/info").exchange().expectStatus().isOk();
    String ciphertext =
        db.sql("SELECT ciphertext FROM stored_credential WHERE provider = 'volcengine'")
            .map(row -> row.get("ciphertext", String.class))
            .one()
            .block();
    // Everything committed is in the file now, not only in H2's write buffer.
    db.sql("CHECKPOINT SYNC").then().block();

    Path database = studio.dataDir().resolve("db").resolve("studio.mv.db");
    String bytes = new String(Files.readAllBytes(database), StandardCharsets.ISO_8859_1);
    // The check reads what it claims to: the stored ciphertext is there, as written.
    assertThat(bytes).contains(ciphertext);
    try (Stream<Path> files = Files.walk(studio.dataDir())) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(content)
            .as(file.toString())
            .doesNotContain(ACCESS_KEY)
            .doesNotContain(SECRET_KEY)
            .doesNotContain(ARK_KEY);
      }
    }
    assertThat(output.getAll().substring(logStart))
        .contains("Stored volcengine keys")
        .doesNotContain(ACCESS_KEY)
        .doesNotContain(SECRET_KEY)
        .doesNotContain(ARK_KEY)
        .doesNotContain("d3Jvbmctc2VjcmV0LWtleS1mb3ItdGhlLXRlc3Q=");
  }

  private WebTestClient.BodyContentSpec test(String provider, Map<String, Object> keys) {
    return http.post()
        .uri("/api/v1/settings/credentials/{provider}/test", provider)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(keys)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody();
  }

  private static WebTestClient.BodyContentSpec problem(WebTestClient.ResponseSpec response) {
    return response
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody();
  }

  private Map<String, Object> generate(Map<String, Object> body) {
    Map<String, Object> accepted =
        http.post()
            .uri("/api/v1/generate")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Map<String, Object> task =
          http.get()
              .uri("/api/v1/task/{id}", accepted.get("task_id"))
              .exchange()
              .expectBody(JSON_OBJECT)
              .returnResult()
              .getResponseBody();
      if (List.of("completed", "failed").contains(task.get("status"))
          || System.nanoTime() > deadline) {
        return task;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return task;
      }
    }
  }

  private static int cvProcessCallsAtTheStandaloneEmulator() {
    Map<String, Object> stats =
        WebClient.create(standalone.endpoint().toString())
            .get()
            .uri("/_emulator/stats")
            .retrieve()
            .bodyToMono(JSON_OBJECT)
            .block(Duration.ofSeconds(5));
    Object calls = ((Map<?, ?>) stats.get("requests")).get("CVProcess");
    return calls == null ? 0 : ((Number) calls).intValue();
  }
}
