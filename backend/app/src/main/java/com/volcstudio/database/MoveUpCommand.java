package com.volcstudio.database;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * {@code java -jar volc-image-studio.jar move-up} (and {@code make move-up}): copies a single-node
 * studio's H2 database (DATA_DIR) into the PostgreSQL database of DATABASE_URL, the way to grow
 * (issue 18). Both are migrated to the current schema first; every table is copied in batches, each
 * row once (a row already there is left as it is), so a run that was cut short is simply run again;
 * at the end every table's rows are counted on both sides. The files are {@code
 * storage.ObjectsMoveUp}'s part ({@code com.volcstudio.MoveUp} runs both). The studio must be
 * stopped: H2 lets only one process open its file.
 */
public final class MoveUpCommand {

  /** Parents before children (foreign keys). */
  static final List<String> TABLES =
      List.of(
          "app_user",
          "api_token",
          "generation_task",
          "stored_image",
          "upstream_job",
          "upload",
          "preset",
          "batch_submission",
          "runtime_setting",
          "stored_credential",
          "usage_daily",
          "audit_event");

  private static final int BATCH = 500;

  private MoveUpCommand() {}

  /**
   * @return the process's exit code: 0 copied and verified, 1 refused or failed (the reason
   *     printed), 2 bad usage
   */
  public static int run(Map<String, String> env, PrintStream out, PrintStream err) {
    String databaseUrl = env.getOrDefault("DATABASE_URL", "").strip();
    if (databaseUrl.isEmpty()) {
      err.println(
          "usage: DATABASE_URL=r2dbc:postgresql://host:5432/db DATABASE_USERNAME=… DATABASE_PASSWORD=…"
              + " java -jar volc-image-studio.jar move-up  (from DATA_DIR, default ./data)");
      return 2;
    }
    Path dataDir = dataDir(env);
    Path file = dataDir.resolve("db").resolve("studio.mv.db");
    if (!Files.isRegularFile(file)) {
      err.println("move-up refused: there is no studio database at " + file);
      return 1;
    }
    String source = "jdbc:h2:file:" + dataDir.resolve("db").resolve("studio");
    String target;
    try {
      target = PostgresUrl.jdbcOf(databaseUrl);
    } catch (IllegalArgumentException e) {
      err.println("move-up refused: " + e.getMessage());
      return 1;
    }
    String user = env.getOrDefault("DATABASE_USERNAME", "");
    String password = env.getOrDefault("DATABASE_PASSWORD", "");
    try {
      migrate(source, "sa", "", "classpath:db/migration/h2");
      migrate(target, user, password, "classpath:db/migration/postgresql");
      try (Connection from = DriverManager.getConnection(source, "sa", "");
          Connection to = DriverManager.getConnection(target, user, password)) {
        to.setAutoCommit(false);
        boolean verified = true;
        for (String table : TABLES) {
          long added = copy(from, to, table);
          long inSource = count(from, table);
          long inTarget = count(to, table);
          out.printf(
              "%-18s %,9d rows, %,9d new, %,9d in PostgreSQL%n", table, inSource, added, inTarget);
          if (inTarget < inSource) {
            err.println("move-up: " + table + " has fewer rows in PostgreSQL than in H2");
            verified = false;
          } else if (inTarget > inSource) {
            out.println(
                "  (PostgreSQL holds rows of " + table + " that H2 does not: it was used before)");
          }
        }
        if (!verified) {
          return 1;
        }
      }
    } catch (SQLException | RuntimeException e) {
      String reason = String.valueOf(e.getMessage());
      err.println(
          "move-up failed: "
              + (reason.contains("already in use") || reason.contains("locked")
                  ? "the H2 database is open in another process: stop the studio first"
                  : reason));
      return 1;
    }
    return 0;
  }

  /** DATA_DIR of the studio being moved (default ./data), absolute. */
  public static Path dataDir(Map<String, String> env) {
    String configured = env.get("DATA_DIR");
    return Path.of(configured == null || configured.isBlank() ? "./data" : configured)
        .toAbsolutePath()
        .normalize();
  }

  private static void migrate(String url, String user, String password, String location) {
    Flyway.configure().dataSource(url, user, password).locations(location).load().migrate();
  }

  /** Copies the rows of {@code table} that PostgreSQL does not have yet; returns how many. */
  private static long copy(Connection from, Connection to, String table) throws SQLException {
    List<String> columns = columns(to, table);
    String names = String.join(", ", columns);
    String marks = String.join(", ", columns.stream().map(c -> "?").toList());
    long added = 0;
    try (Statement read = from.createStatement();
        ResultSet rows = read.executeQuery("SELECT " + names + " FROM " + table);
        PreparedStatement write =
            to.prepareStatement(
                "INSERT INTO "
                    + table
                    + " ("
                    + names
                    + ") VALUES ("
                    + marks
                    + ") ON CONFLICT DO NOTHING")) {
      int pending = 0;
      while (rows.next()) {
        for (int i = 1; i <= columns.size(); i++) {
          write.setObject(i, rows.getObject(i));
        }
        write.addBatch();
        if (++pending == BATCH) {
          added += flush(write, to);
          pending = 0;
        }
      }
      if (pending > 0) {
        added += flush(write, to);
      }
    }
    return added;
  }

  private static long flush(PreparedStatement write, Connection to) throws SQLException {
    long added = 0;
    for (int n : write.executeBatch()) {
      added += Math.max(0, n);
    }
    to.commit();
    return added;
  }

  /** The columns PostgreSQL stores (not the generated ones), in table order. */
  private static List<String> columns(Connection to, String table) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (PreparedStatement statement =
        to.prepareStatement(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
                + " AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position")) {
      statement.setString(1, table);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          columns.add(rows.getString(1));
        }
      }
    }
    if (columns.isEmpty()) {
      throw new IllegalStateException("PostgreSQL has no table " + table + " after its migrations");
    }
    return columns;
  }

  private static long count(Connection connection, String table) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
