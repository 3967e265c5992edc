package com.volcstudio.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;

/**
 * Boot's migration step ({@code FlywayMigrationInitializer}) hands the Flyway migrations to a
 * thread of their own and returns, so that the rest of the context is built meanwhile: on two
 * cores, the ~0.5 s of a fresh database's migrations no longer delay the start. Nothing may read
 * the database before {@link #done} completes: settings.SettingsService, the one bean that reads it
 * while the context starts, waits for it, and the context does not finish starting (no web server,
 * no task) before that load has.
 */
public final class StartupMigration implements FlywayMigrationStrategy {

  private static final Logger log = LoggerFactory.getLogger(StartupMigration.class);

  private final CompletableFuture<Void> done = new CompletableFuture<>();

  @Override
  public void migrate(Flyway flyway) {
    Thread thread =
        new Thread(
            () -> {
              try {
                compactIfWorthIt(flyway);
                flyway.migrate();
                done.complete(null);
              } catch (Throwable e) {
                done.completeExceptionally(e);
              }
            },
            "db-migrate");
    // A start that fails elsewhere first does not wait for the migrations to exit.
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Before the migrations, nothing else has the database open: the one moment a {@code SHUTDOWN
   * COMPACT} costs no one anything. A failure here only leaves the file as large as it was.
   */
  private static void compactIfWorthIt(Flyway flyway) {
    try (Connection connection = flyway.getConfiguration().getDataSource().getConnection()) {
      DatabaseFile.compactIfWorthIt(connection);
    } catch (SQLException e) {
      log.warn("Could not compact the database file; it stays as it is", e);
    }
  }

  /** For a context without Flyway (spring.flyway.enabled=false): nothing to wait for. */
  public void notNeeded() {
    done.complete(null);
  }

  /** Completes once the migrations have run, exceptionally if they failed. */
  public CompletableFuture<Void> done() {
    return done;
  }
}
