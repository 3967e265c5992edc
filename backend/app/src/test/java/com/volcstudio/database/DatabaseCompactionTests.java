package com.volcstudio.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The start-up step that runs the migrations compacts a database file that is mostly dead space
 * first, on a real H2 file grown the way the app grows it (one commit per statement,
 * WRITE_DELAY=0), and leaves every row as it was; a compact file is left alone.
 */
class DatabaseCompactionTests {

  private final Path dir = Path.of("target/test-data", UUID.randomUUID().toString(), "db");
  private final String url =
      "jdbc:h2:file:" + dir.toAbsolutePath().resolve("studio") + ";WRITE_DELAY=0";
  private final Path file = dir.resolve("studio.mv.db");

  @Test
  void aFileMostlyOfDeadSpaceIsCompactedBeforeTheMigrationsAndKeepsItsRows() throws Exception {
    // 16000 rewrites of the same 2000 rows of 400 characters, each its own commit: every commit
    // appends a chunk with the rewritten page.
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      // In a schema of its own: the migrations expect PUBLIC empty or theirs.
      c.createStatement().execute("CREATE SCHEMA scratch");
      c.createStatement().execute("CREATE TABLE scratch.notes(id INT PRIMARY KEY, text VARCHAR)");
      PreparedStatement merge = c.prepareStatement("MERGE INTO scratch.notes KEY(id) VALUES(?, ?)");
      for (int i = 0; i < 16000; i++) {
        merge.setInt(1, i % 2000);
        merge.setString(2, "笔记 " + i + " " + "长".repeat(400));
        merge.executeUpdate();
      }
    }
    long before = Files.size(file);
    assertThat(before).as("the file grown").isGreaterThan(DatabaseFile.COMPACT_FROM_BYTES);
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      assertThat(DatabaseFile.measure(c).worthCompacting()).isTrue();
    }

    migrate();

    long after = Files.size(file);
    assertThat(after).isLessThan(before / 10);
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        ResultSet rows =
            c.createStatement()
                .executeQuery(
                    "SELECT COUNT(*), MAX(text) FROM scratch.notes WHERE text LIKE '笔记 %'")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(2000);
      // The last rewrite of each row is the one kept (row 1999's last was rewrite 15999).
      assertThat(rows.getString(2)).startsWith("笔记 15999 ");
      assertThat(DatabaseFile.measure(c).worthCompacting()).isFalse();
    }
  }

  @Test
  void aSmallFileIsLeftAsItIs() throws Exception {
    migrate();
    long migrated = Files.size(file);
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      assertThat(DatabaseFile.measure(c).worthCompacting()).isFalse();
    }
    migrate();
    assertThat(Files.size(file)).isGreaterThanOrEqualTo(migrated / 2);
  }

  /** The app's migrations, started as Boot starts them: through StartupMigration. */
  private void migrate() throws Exception {
    StartupMigration migration = new StartupMigration();
    migration.migrate(
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration/h2").load());
    migration.done().get(Duration.ofSeconds(60).toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
  }
}
