package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.connection.Providers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A model past its {@code lifecycle.retires_at} is refused at the submit, with a 400 that names the
 * replacement, before anything is stored or queued; the models list says where each model stands.
 * The catalog is the built-in one with Seedream 4.5's retirement set, as a user would set it in
 * {@code DATA_DIR/models.json} once the provider confirms the date.
 */
class RetiredModelTests {

  @Test
  void aRetiredModelIsRefusedNamingItsReplacementAndNothingIsQueued() throws Exception {
    Path dataDir =
        Files.createDirectories(Path.of("target/test-data", "retired-" + System.nanoTime()));
    retireSeedream45(dataDir);
    try (ConfigurableApplicationContext app = StudioRun.start(dataDir, "50ms")) {
      WebTestClient http = WebTestClient.bindToServer().baseUrl(StudioRun.baseUrl(app)).build();

      http.get()
          .uri("/api/v1/models")
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.models[?(@.id == 'seedream_4.5')].lifecycle.deprecated")
          .isEqualTo(List.of(true))
          .jsonPath("$.models[?(@.id == 'seedream_4.5')].lifecycle.retires_at")
          .isEqualTo(List.of("2026-11-24T06:00:00Z"))
          .jsonPath("$.models[?(@.id == 'seedream_4.5')].lifecycle.replaced_by")
          .isEqualTo(List.of("seedream_5.0_lite"))
          // A model the provider serves as usual has none.
          .jsonPath("$.models[?(@.id == 'seedream_5.0_lite')].lifecycle")
          .isEqualTo(java.util.Collections.singletonList(null));

      http.post()
          .uri("/api/v1/generate")
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(Map.of("prompt", "a lighthouse", "model", "seedream_4.5"))
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.errors[0].field")
          .isEqualTo("model")
          .jsonPath("$.errors[0].reason")
          .value(
              message ->
                  assertThat((String) message)
                      .contains("retired by the provider on 2026-11-24T06:00:00Z")
                      .contains("use 'seedream_5.0_lite' instead"));
      http.get()
          .uri("/api/v1/tasks")
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.items.length()")
          .isEqualTo(0);
    }
  }

  /**
   * A task queued before its model retired (here: running when the app stopped, the retirement set
   * before the next start) fails at once with MODEL_RETIRED and never reaches the provider.
   */
  @Test
  void aTaskWhoseModelRetiredMeanwhileFailsWithoutBeingSent() throws Exception {
    Path dataDir =
        Files.createDirectories(Path.of("target/test-data", "retired-" + System.nanoTime()));
    String taskId;
    try (ConfigurableApplicationContext first = StudioRun.start(dataDir, "30s")) {
      WebTestClient http = WebTestClient.bindToServer().baseUrl(StudioRun.baseUrl(first)).build();
      taskId =
          (String)
              TaskPolling.submit(http, Map.of("prompt", "a lighthouse", "model", "seedream_4.5"))
                  .get("task_id");
    }
    retireSeedream45(dataDir);
    try (ConfigurableApplicationContext second = StudioRun.start(dataDir, "50ms")) {
      WebTestClient http = WebTestClient.bindToServer().baseUrl(StudioRun.baseUrl(second)).build();
      Map<String, Object> task = TaskPolling.awaitTerminal(http, taskId);
      assertThat(task.get("status")).as("%s", task).isEqualTo("failed");
      Map<?, ?> error = (Map<?, ?>) task.get("error");
      assertThat(error.get("code")).isEqualTo("MODEL_RETIRED");
      assertThat((String) error.get("message_zh")).contains("请改用 seedream_5.0_lite");
      Map<?, ?> stats =
          WebTestClient.bindToServer()
              .baseUrl(second.getBean(Providers.class).visual().orElseThrow().endpoint().toString())
              .build()
              .get()
              .uri("/_emulator/stats")
              .exchange()
              .expectBody(Map.class)
              .returnResult()
              .getResponseBody();
      // The demo emulator serves the visual API and Ark on one address.
      assertThat(((Map<?, ?>) stats.get("requests")).get("ArkImagesGenerations"))
          .as("Ark generations after the restart")
          .isNull();
    }
  }

  /** The built-in catalog, with Seedream 4.5 retired on 2026-11-24, as DATA_DIR/models.json. */
  private static void retireSeedream45(Path dataDir) throws Exception {
    String builtIn =
        new String(
            new ClassPathResource("catalog/models.json").getInputStream().readAllBytes(),
            StandardCharsets.UTF_8);
    String retired =
        builtIn.replace(
            "\"retires_at\": null,\n        \"replaced_by\": \"seedream_5.0_lite\"",
            "\"retires_at\": \"2026-11-24T06:00:00Z\",\n        \"replaced_by\": \"seedream_5.0_lite\"");
    assertThat(retired).isNotEqualTo(builtIn);
    Files.writeString(dataDir.resolve("models.json"), retired);
  }
}
