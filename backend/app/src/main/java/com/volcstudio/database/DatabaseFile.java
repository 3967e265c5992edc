package com.volcstudio.database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * How much of the H2 file holds live data. With {@code WRITE_DELAY=0} every commit appends a chunk,
 * and H2 reuses the space of old chunks only later and never gives it back while the database is
 * open: a history of 100k tasks left a 1.3 GB file whose data compacted to 69 MB. The file shrinks
 * only with {@code SHUTDOWN COMPACT}, which closes the database, so the app compacts where that
 * costs nobody anything: at start-up, before anything reads the database ({@link
 * StartupMigration}), when the file is mostly dead space.
 */
public final class DatabaseFile {

  private static final Logger log = LoggerFactory.getLogger(DatabaseFile.class);

  /** Below this a file is left as it is: compacting it would save too little to matter. */
  static final long COMPACT_FROM_BYTES = 32L * 1024 * 1024;

  /** Compacted when at most this share of the file is live data. */
  static final int COMPACT_AT_FILL_PERCENT = 50;

  private static final String QUERY =
      "SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
          + " WHERE SETTING_NAME IN ('info.FILE_SIZE', 'info.CHUNKS_FILL_RATE')";

  /**
   * The file's size and the live data in it: H2's {@code info.FILE_SIZE}, and that times {@code
   * info.CHUNKS_FILL_RATE} (the share of the chunks' space still in use), an estimate.
   */
  public record Use(long fileBytes, long dataBytes) {
    static Use of(long fileBytes, int fillPercent) {
      return new Use(fileBytes, fileBytes * Math.max(0, Math.min(100, fillPercent)) / 100);
    }

    boolean worthCompacting() {
      return fileBytes >= COMPACT_FROM_BYTES
          && dataBytes * 100 <= fileBytes * COMPACT_AT_FILL_PERCENT;
    }
  }

  private final DatabaseClient client;
  private final Dialect dialect;

  public DatabaseFile(DatabaseClient client, Dialect dialect) {
    this.client = client;
    this.dialect = dialect;
  }

  /**
   * The file as it is now, for {@code storage} in {@code /api/v1/system/info}; empty on PostgreSQL,
   * which keeps no file of the studio's.
   */
  public Mono<Use> use() {
    if (!dialect.h2()) {
      return Mono.empty();
    }
    return client
        .sql(QUERY)
        .map((row, meta) -> new String[] {row.get(0, String.class), row.get(1, String.class)})
        .all()
        .collectMap(pair -> pair[0], pair -> pair[1])
        .map(
            values ->
                Use.of(
                    parse(values.get("info.FILE_SIZE")),
                    (int) parse(values.get("info.CHUNKS_FILL_RATE"))));
  }

  /**
   * A consistent copy of the whole database, taken while it is in use (H2's {@code BACKUP}): a zip
   * holding {@code studio.mv.db} as of one moment.
   */
  public Mono<Void> backupTo(Path zip) {
    if (!dialect.h2()) {
      return Mono.error(
          new UnsupportedOperationException(
              "the database is PostgreSQL (DATABASE_URL): back it up with pg_dump"));
    }
    return client
        .sql("BACKUP TO '" + zip.toAbsolutePath().toString().replace("'", "''") + "'")
        .then();
  }

  /**
   * Compacts the file through {@code connection} if it is mostly dead space; the database is closed
   * afterwards (the next connection opens it again). Only while nothing else has it open.
   *
   * @return whether it compacted
   */
  static boolean compactIfWorthIt(Connection connection) throws SQLException {
    if (!connection.getMetaData().getDatabaseProductName().equals("H2")) {
      return false;
    }
    Use before = measure(connection);
    if (!before.worthCompacting()) {
      return false;
    }
    long started = System.nanoTime();
    try (Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN COMPACT");
    }
    log.info(
        "Compacted the database file: {} MB, about {} MB of it live data, in {} ms",
        before.fileBytes() / (1024 * 1024),
        before.dataBytes() / (1024 * 1024),
        (System.nanoTime() - started) / 1_000_000);
    return true;
  }

  static Use measure(Connection connection) throws SQLException {
    long fileBytes = 0;
    int fill = 100;
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(QUERY)) {
      while (rows.next()) {
        if (rows.getString(1).equals("info.FILE_SIZE")) {
          fileBytes = parse(rows.getString(2));
        } else {
          fill = (int) parse(rows.getString(2));
        }
      }
    }
    return Use.of(fileBytes, fill);
  }

  private static long parse(String value) {
    try {
      return value == null ? 0 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
