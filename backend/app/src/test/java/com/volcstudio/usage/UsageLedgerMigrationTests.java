package com.volcstudio.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** V11 on a database with history: the ledger starts from what the tables still hold. */
class UsageLedgerMigrationTests {

  @Test
  void backFillsTasksImagesAndOutcomesPerUtcDayAndModel() throws SQLException {
    String url = "jdbc:h2:mem:v11-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    Flyway.configure()
        .dataSource(url, "sa", "")
        .locations("classpath:db/migration/h2")
        .target("10")
        .load()
        .migrate();
    try (Connection connection = DriverManager.getConnection(url, "sa", "");
        Statement sql = connection.createStatement()) {
      // Created late on the 27th UTC, finished on the 28th; the second was created at 01:30 in
      // Beijing, which is still the 27th in UTC.
      task(sql, "a", "completed", "m1", "2026-11-27 23:30:00+00", "2026-11-28 00:10:00+00", 2);
      task(sql, "b", "failed", "m1", "2026-11-28 01:30:00+08", "2026-11-28 01:40:00+08", 1);
      task(sql, "c", "pending", "m2", "2026-11-28 10:30:00+00", null, 1);
      image(sql, "i1", "a", 0, "2026-11-28 00:09:00+00");
      image(sql, "i2", "a", 1, "2026-11-28 00:09:30+00");

      Flyway.configure()
          .dataSource(url, "sa", "")
          .locations("classpath:db/migration/h2")
          .load()
          .migrate();

      List<String> rows = new ArrayList<>();
      try (ResultSet row =
          sql.executeQuery(
              "SELECT usage_day, model, tasks, images, completed, failed, cancelled FROM usage_daily"
                  + " ORDER BY usage_day, model")) {
        while (row.next()) {
          rows.add(
              row.getString(1)
                  + " "
                  + row.getString(2)
                  + " tasks="
                  + row.getLong(3)
                  + " images="
                  + row.getLong(4)
                  + " completed="
                  + row.getLong(5)
                  + " failed="
                  + row.getLong(6)
                  + " cancelled="
                  + row.getLong(7));
        }
      }
      assertThat(rows)
          .containsExactly(
              "2026-11-27 m1 tasks=2 images=0 completed=0 failed=1 cancelled=0",
              "2026-11-28 m1 tasks=0 images=2 completed=1 failed=0 cancelled=0",
              "2026-11-28 m2 tasks=1 images=0 completed=0 failed=0 cancelled=0");
    }
  }

  private static void task(
      Statement sql,
      String id,
      String status,
      String model,
      String created,
      String completed,
      int images)
      throws SQLException {
    sql.execute(
        "INSERT INTO generation_task (id, status, stage, progress, model, prompt, negative_prompt,"
            + " width, height, num_images, seed, created_at, completed_at) VALUES ('"
            + id
            + "', '"
            + status
            + "', 'done', 0, '"
            + model
            + "', 'p', '', 512, 512, "
            + images
            + ", 1, TIMESTAMP WITH TIME ZONE '"
            + created
            + "', "
            + (completed == null ? "NULL" : "TIMESTAMP WITH TIME ZONE '" + completed + "'")
            + ")");
  }

  private static void image(Statement sql, String id, String task, int index, String created)
      throws SQLException {
    sql.execute(
        "INSERT INTO stored_image (id, task_id, image_index, seed, width, height, mime_type,"
            + " size_bytes, created_at, params_json) VALUES ('"
            + id
            + "', '"
            + task
            + "', "
            + index
            + ", 1, 512, 512, 'image/png', 1, TIMESTAMP WITH TIME ZONE '"
            + created
            + "', '{}')");
  }
}
