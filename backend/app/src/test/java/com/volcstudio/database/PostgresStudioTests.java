package com.volcstudio.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.TeamClients;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole studio on PostgreSQL (DATABASE_URL, issue 18) instead of the H2 file, against a real
 * server started on loopback for this class: the PostgreSQL migrations, then what every request
 * path writes and reads — tasks through the queue to stored images, the history with its count,
 * search, filters and cursor, favourites and deletion, the usage ledger's MERGE, stored provider
 * keys, presets, accounts, tokens and the audit log.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=50ms",
      "APP_AUTH_USERNAME=admin",
      "APP_AUTH_PASSWORD=open sesame 42"
    })
@AutoConfigureWebTestClient
class PostgresStudioTests {

  private static PostgresServer postgres;

  @Autowired WebTestClient http;
  @Autowired JsonMapper json;
  @Autowired Dialect dialect;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) throws Exception {
    postgres = PostgresServer.start("studio");
    // What StudioEnvironmentPostProcessor derives from DATABASE_URL, DATABASE_USERNAME and
    // DATABASE_PASSWORD (StudioEnvironmentPostProcessorTests): a test's dynamic properties come
    // after the environment's post-processing, so they are given here as it would have made them.
    registry.add("spring.r2dbc.url", () -> postgres.r2dbcUrl("studio"));
    registry.add(
        "spring.flyway.url", () -> "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/studio");
    registry.add("spring.r2dbc.username", () -> "postgres");
    registry.add("spring.flyway.user", () -> "postgres");
    registry.add("spring.flyway.locations", () -> "classpath:db/migration/postgresql");
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  private JsonNode read(WebTestClient.ResponseSpec response) {
    return json.readTree(response.expectBody().returnResult().getResponseBody());
  }

  @Test
  void theStudioRunsOnPostgresFromSubmitToHistoryUsageKeysAccountsAndAudit() throws Exception {
    assertThat(dialect.h2()).isFalse();
    TeamClients team = new TeamClients(http);
    WebTestClient admin = team.admin();

    List<String> ids = new ArrayList<>();
    for (String prompt : List.of("a lighthouse by the sea", "a red fox in snow", "灯塔与海浪")) {
      ids.add(
          read(admin
                  .post()
                  .uri("/api/v1/generate")
                  .bodyValue(Map.of("prompt", prompt, "model", "general_v2.0", "num_images", 2))
                  .exchange()
                  .expectStatus()
                  .isAccepted())
              .path("task_id")
              .asString());
    }
    for (String id : ids) {
      JsonNode task = awaitCompleted(admin, id);
      assertThat(task.path("images")).hasSize(2);
      admin
          .get()
          .uri(task.path("images").get(0).path("url").asString())
          .exchange()
          .expectStatus()
          .isOk();
    }

    JsonNode history =
        read(admin.get().uri("/api/v1/history?limit=2").exchange().expectStatus().isOk());
    assertThat(history.path("total").asLong()).isEqualTo(3);
    assertThat(history.path("items")).hasSize(2);
    String cursor = history.path("next_cursor").asString();
    assertThat(
            read(admin
                    .get()
                    .uri("/api/v1/history?limit=2&cursor=" + cursor)
                    .exchange()
                    .expectStatus()
                    .isOk())
                .path("items"))
        .hasSize(1);
    JsonNode found =
        read(admin.get().uri("/api/v1/history?q=FOX").exchange().expectStatus().isOk());
    assertThat(found.path("items")).hasSize(1);
    assertThat(found.path("items").get(0).path("task_id").asString()).isEqualTo(ids.get(1));
    assertThat(
            read(admin.get().uri("/api/v1/history?q=灯塔").exchange().expectStatus().isOk())
                .path("total")
                .asLong())
        .isEqualTo(1);

    admin.put().uri("/api/v1/task/" + ids.get(0) + "/favourite").exchange().expectStatus().isOk();
    assertThat(
            read(admin.get().uri("/api/v1/history?favourite=true").exchange().expectStatus().isOk())
                .path("total")
                .asLong())
        .isEqualTo(1);
    admin.delete().uri("/api/v1/task/" + ids.get(2)).exchange().expectStatus().isNoContent();
    admin.get().uri("/api/v1/task/" + ids.get(2)).exchange().expectStatus().isNotFound();

    // The counts PostgreSQL's triggers keep (V23) followed every insert, status change and delete.
    assertThat(
            read(admin.get().uri("/api/v1/history").exchange().expectStatus().isOk())
                .path("total")
                .asLong())
        .isEqualTo(2);
    assertThat(
            rows(
                "SELECT owner_id, status, n FROM generation_task_count WHERE n <> 0"
                    + " ORDER BY owner_id, status"))
        .isEqualTo(
            rows(
                "SELECT owner_id, status, COUNT(*) FROM generation_task GROUP BY owner_id, status"
                    + " ORDER BY owner_id, status"))
        .isNotEmpty();

    // The usage ledger counted every image once (a MERGE per count).
    JsonNode usage = read(admin.get().uri("/api/v1/usage").exchange().expectStatus().isOk());
    assertThat(usage.path("month").path("images").asLong()).isEqualTo(6);
    assertThat(usage.path("month").path("tasks").asLong()).isEqualTo(3);

    // Provider keys are stored (encrypted) and replaced.
    for (String secret : List.of("c2VjcmV0LW9uZQ==", "c2VjcmV0LXR3bw==")) {
      admin
          .put()
          .uri("/api/v1/settings/credentials/volcengine")
          .bodyValue(Map.of("access_key", "AKLTpostgres0000000000000001", "secret_key", secret))
          .exchange()
          .expectStatus()
          .is2xxSuccessful();
    }
    try (Connection connection = postgres.connect("studio");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM stored_credential")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(1);
    }
    admin
        .delete()
        .uri("/api/v1/settings/credentials/volcengine")
        .exchange()
        .expectStatus()
        .is2xxSuccessful();

    // Presets, a member with a token, and the audit log of it all.
    admin
        .post()
        .uri("/api/v1/presets")
        .bodyValue(Map.of("name", "海边", "params", Map.of("model", "general_v2.0")))
        .exchange()
        .expectStatus()
        .isCreated();
    WebTestClient member = team.member("member password", Map.of("monthly_image_quota", 5));
    String token =
        read(member
                .post()
                .uri("/api/v1/tokens")
                .bodyValue(Map.of("name", "script"))
                .exchange()
                .expectStatus()
                .isCreated())
            .path("token")
            .asString();
    http.get()
        .uri("/api/v1/history")
        .headers(h -> h.setBearerAuth(token))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.total")
        .isEqualTo(0);
    JsonNode audit =
        read(admin.get().uri("/api/v1/audit?limit=50").exchange().expectStatus().isOk());
    List<String> actions = new ArrayList<>();
    audit.path("items").forEach(e -> actions.add(e.path("action").asString()));
    assertThat(actions).contains("credentials.stored", "user.created", "token.created");
  }

  /**
   * The PostgreSQL baseline and the H2 migrations make the same tables: every column with its type,
   * length and nullability (a fresh H2 file migrated beside it).
   */
  @Test
  void postgresMigrationsMakeTheSchemaTheH2MigrationsMake() throws Exception {
    Path h2File = Path.of("target/test-data/schema-" + System.nanoTime()).toAbsolutePath();
    String h2Url = "jdbc:h2:file:" + h2File.resolve("studio");
    Flyway.configure()
        .dataSource(h2Url, "sa", "")
        .locations("classpath:db/migration/h2")
        .load()
        .migrate();
    Set<String> h2Columns;
    try (Connection connection = DriverManager.getConnection(h2Url, "sa", "")) {
      h2Columns = columns(connection, "PUBLIC");
    }
    Set<String> postgresColumns;
    try (Connection connection = postgres.connect("studio")) {
      postgresColumns = columns(connection, "public");
    }
    // PostgreSQL's own: the task counts its triggers keep (H2 knows a table's row count).
    postgresColumns.removeIf(column -> column.startsWith("generation_task_count "));
    assertThat(postgresColumns).hasSizeGreaterThan(100).isEqualTo(h2Columns);

    // Backups of the H2 file do not apply: a clear refusal, not a half-made archive.
    new TeamClients(http)
        .admin()
        .post()
        .uri("/api/v1/backups")
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains("pg_dump"));
  }

  private List<String> rows(String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection connection = postgres.connect("studio");
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        rows.add(result.getString(1) + " " + result.getString(2) + " " + result.getLong(3));
      }
    }
    return rows;
  }

  private static Set<String> columns(Connection connection, String schema) throws Exception {
    Set<String> columns = new TreeSet<>();
    try (var statement =
        connection.prepareStatement(
            "SELECT table_name, column_name, data_type, character_maximum_length, is_nullable"
                + " FROM information_schema.columns WHERE table_schema = ?")) {
      statement.setString(1, schema);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          String table = rows.getString(1).toLowerCase(Locale.ROOT);
          if (!table.equals("flyway_schema_history")) {
            columns.add(
                String.join(
                        " ",
                        table,
                        rows.getString(2),
                        rows.getString(3),
                        String.valueOf(rows.getObject(4)),
                        rows.getString(5))
                    .toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    return columns;
  }

  private JsonNode awaitCompleted(WebTestClient client, String taskId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode task =
          read(client.get().uri("/api/v1/task/" + taskId).exchange().expectStatus().isOk());
      if (task.path("status").asString().equals("completed")) {
        return task;
      }
      assertThat(task.path("status").asString()).isNotEqualTo("failed");
      assertThat(System.nanoTime()).as("task " + taskId + " finished").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
