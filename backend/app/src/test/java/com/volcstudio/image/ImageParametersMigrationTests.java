package com.volcstudio.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** V7 on a database that already has images: their parameters are filled in from their task. */
class ImageParametersMigrationTests {

  @Test
  void imagesStoredBeforeV7GetTheirTasksParameters() throws SQLException {
    String url = "jdbc:h2:mem:v7-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    Flyway.configure()
        .dataSource(url, "sa", "")
        .locations("classpath:db/migration/h2")
        .target("6")
        .load()
        .migrate();
    try (Connection connection = DriverManager.getConnection(url, "sa", "");
        Statement sql = connection.createStatement()) {
      sql.execute(
          "INSERT INTO generation_task (id, status, stage, progress, model, prompt, negative_prompt, width, height,"
              + " num_images, seed, steps, scale, options_json, created_at) VALUES ('t1', 'completed', 'done', 100, 'general_v2.0',"
              + " '水墨 \"山水\"', '', 1024, 768, 1, 7, NULL, 3.5, '{\"use_sr\":true}', CURRENT_TIMESTAMP)");
      sql.execute(
          "INSERT INTO stored_image (id, task_id, image_index, seed, width, height, mime_type, size_bytes, created_at)"
              + " VALUES ('i1', 't1', 0, 7, 1024, 768, 'image/png', 1234, CURRENT_TIMESTAMP)");

      Flyway.configure()
          .dataSource(url, "sa", "")
          .locations("classpath:db/migration/h2")
          .load()
          .migrate();

      try (ResultSet row =
          sql.executeQuery(
              "SELECT params_json, thumbnail_bytes FROM stored_image WHERE id = 'i1'")) {
        assertThat(row.next()).isTrue();
        ImageParameters parameters =
            JsonMapper.builder()
                .propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
                .build()
                .readValue(row.getString("params_json"), ImageParameters.class);
        assertThat(parameters)
            .isEqualTo(
                new ImageParameters(
                    "general_v2.0",
                    "水墨 \"山水\"",
                    "",
                    1024,
                    768,
                    null,
                    3.5,
                    java.util.Map.of("use_sr", true)));
        assertThat(row.getLong("thumbnail_bytes")).isZero();
      }
    }
  }
}
