package com.volcstudio.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.MoveUp;
import com.volcstudio.StudioApplication;
import com.volcstudio.storage.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code move-up} (issue 18): a studio used on H2 is copied into a real PostgreSQL server; a second
 * run adds nothing; the studio started on PostgreSQL with the same DATA_DIR shows the same history,
 * images, presets and login.
 */
class MoveUpCommandTests {

  private static final String ADMIN = "admin";
  private static final String PASSWORD = "open sesame 42";
  private final JsonMapper json = JsonMapper.builder().build();

  private record Run(int exit, String out, String err) {}

  private static Run moveUp(Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        MoveUp.run(
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static ConfigurableApplicationContext studio(String... settings) {
    List<String> properties =
        new ArrayList<>(
            List.of(
                "APP_PORT=0",
                "DEMO_LATENCY=50ms",
                "APP_LOG_LEVEL=WARN",
                "APP_AUTH_USERNAME=" + ADMIN,
                "APP_AUTH_PASSWORD=" + PASSWORD));
    properties.addAll(List.of(settings));
    return new SpringApplicationBuilder(StudioApplication.class)
        .properties(properties.toArray(String[]::new))
        .run();
  }

  private static WebTestClient client(ConfigurableApplicationContext app) {
    return WebTestClient.bindToServer()
        .baseUrl("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort())
        .responseTimeout(Duration.ofSeconds(30))
        .defaultHeaders(h -> h.setBasicAuth(ADMIN, PASSWORD))
        .build();
  }

  private JsonNode read(WebTestClient.ResponseSpec response) {
    return json.readTree(response.expectBody().returnResult().getResponseBody());
  }

  @Test
  void anH2StudioMovesIntoPostgresOnceAndRunsThereWithItsHistoryAndImages() throws Exception {
    Path dataDir = Path.of("target/test-data", UUID.randomUUID().toString()).toAbsolutePath();
    List<String> tasks = new ArrayList<>();
    try (ConfigurableApplicationContext h2 = studio("DATA_DIR=" + dataDir)) {
      WebTestClient http = client(h2);
      for (String prompt : List.of("before the move", "搬家之前")) {
        tasks.add(
            read(http.post()
                    .uri("/api/v1/generate")
                    .bodyValue(Map.of("prompt", prompt, "model", "general_v2.0"))
                    .exchange()
                    .expectStatus()
                    .isAccepted())
                .path("task_id")
                .asString());
      }
      http.post()
          .uri("/api/v1/presets")
          .bodyValue(Map.of("name", "moved preset", "params", Map.of("model", "general_v2.0")))
          .exchange()
          .expectStatus()
          .isCreated();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (read(http.get().uri("/api/v1/history").exchange().expectStatus().isOk())
                  .path("total")
                  .asLong()
              < 2
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }

    try (PostgresServer postgres = PostgresServer.start("moved");
        S3ProxyServer s3 = S3ProxyServer.start("moved-images")) {
      // With S3 too: the images go into the bucket, and the moved studio runs from a DATA_DIR of
      // its own, which holds none of them.
      Map<String, String> env =
          Map.of(
              "DATA_DIR",
              dataDir.toString(),
              "DATABASE_URL",
              postgres.r2dbcUrl("moved"),
              "DATABASE_USERNAME",
              "postgres",
              "S3_ENDPOINT",
              s3.endpoint(),
              "S3_BUCKET",
              "moved-images",
              "S3_ACCESS_KEY",
              S3ProxyServer.ACCESS_KEY,
              "S3_SECRET_KEY",
              S3ProxyServer.SECRET_KEY,
              "S3_PATH_STYLE",
              "true");
      Run first = moveUp(env);
      assertThat(first.exit()).as(first.err()).isZero();
      assertThat(first.out())
          .containsPattern("generation_task\\s+2 rows,\\s+2 new")
          .containsPattern("stored_image\\s+2 rows,\\s+2 new")
          .containsPattern("images\\s+2 files,\\s+2 new objects,\\s+2 verified")
          .contains("Moved up");
      // Again: nothing new, the same counts, every object checked again.
      Run second = moveUp(env);
      assertThat(second.exit()).as(second.err()).isZero();
      assertThat(second.out())
          .containsPattern("generation_task\\s+2 rows,\\s+0 new")
          .containsPattern("images\\s+2 files,\\s+0 new objects,\\s+2 verified");

      Path elsewhere = Path.of("target/test-data", UUID.randomUUID().toString()).toAbsolutePath();
      try (ConfigurableApplicationContext moved =
          studio(
              "DATA_DIR=" + elsewhere,
              "DATABASE_URL=" + postgres.r2dbcUrl("moved"),
              "DATABASE_USERNAME=postgres",
              "S3_ENDPOINT=" + s3.endpoint(),
              "S3_BUCKET=moved-images",
              "S3_ACCESS_KEY=" + S3ProxyServer.ACCESS_KEY,
              "S3_SECRET_KEY=" + S3ProxyServer.SECRET_KEY,
              "S3_PATH_STYLE=true")) {
        assertThat(moved.getBean(Dialect.class).h2()).isFalse();
        WebTestClient http = client(moved);
        JsonNode history = read(http.get().uri("/api/v1/history").exchange().expectStatus().isOk());
        assertThat(history.path("total").asLong()).isEqualTo(2);
        List<String> ids = new ArrayList<>();
        history.path("items").forEach(task -> ids.add(task.path("task_id").asString()));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(tasks);
        http.get()
            .uri(history.path("items").get(0).path("images").get(0).path("url").asString())
            .exchange()
            .expectStatus()
            .isOk();
        assertThat(
                read(http.get().uri("/api/v1/history?q=搬家").exchange().expectStatus().isOk())
                    .path("total")
                    .asLong())
            .isEqualTo(1);
        assertThat(
                read(http.get().uri("/api/v1/presets").exchange().expectStatus().isOk())
                    .path("items")
                    .get(0)
                    .path("name")
                    .asString())
            .isEqualTo("moved preset");
      }
    }
  }

  @Test
  void withoutADatabaseUrlOrAStudioItSaysWhatIsMissing() {
    assertThat(moveUp(Map.of()).exit()).isEqualTo(2);
    Run nothing =
        moveUp(
            Map.of(
                "DATA_DIR",
                "target/test-data/" + UUID.randomUUID(),
                "DATABASE_URL",
                "r2dbc:postgresql://127.0.0.1:1/none"));
    assertThat(nothing.exit()).isEqualTo(1);
    assertThat(nothing.err()).contains("no studio database");
  }
}
