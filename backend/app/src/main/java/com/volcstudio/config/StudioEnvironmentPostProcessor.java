package com.volcstudio.config;

import com.volcstudio.database.PostgresUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Settings derived from others. Both database URLs come from the single {@code DATA_DIR} setting,
 * so R2DBC (the app) and JDBC (Flyway migrations) always open the same H2 file. Runs last, after
 * application.yml and the random value source, so a value such as {@code
 * target/test-data/${random.uuid}} is resolved exactly once and every bean sees the same absolute
 * directory. Logging settings (APP_DEBUG, LOG_DIR, LOG_FORMAT) are derived here too because this
 * runs before Spring Boot configures logging.
 */
public class StudioEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  static final String DATA_DIR = "studio.data-dir";

  /**
   * H2 writes a commit to its file up to 500 ms later by default; a process killed in between loses
   * a commit the app had already acted on (the crash test saw upstream jobs resubmitted after kill
   * -9 because their rows were gone). With no delay a commit is in the file, at the OS, when it
   * returns.
   */
  private static final String DURABLE = ";WRITE_DELAY=0";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    AheadOfTimeGuard.check(environment, AotDetector.useGeneratedArtifacts());
    String configured = environment.getProperty(DATA_DIR, "./data");
    Path dataDir = usableDataDir(configured);
    String dbFile = dataDir.resolve("db").resolve("studio").toString();
    Map<String, Object> derived =
        new HashMap<>(
            Map.of(
                DATA_DIR,
                dataDir.toString(),
                // H2's "retry:" file system: a thread interrupted in the middle of a file operation
                // (Reactor interrupts
                // a worker when a subscription is cancelled) would otherwise close H2's FileChannel
                // and with it the
                // whole database, after which every connection fails validation. With it, H2
                // reopens the channel.
                "spring.r2dbc.url",
                "r2dbc:h2:file:///retry:" + dbFile + DURABLE,
                "spring.flyway.url",
                "jdbc:h2:file:retry:" + dbFile + DURABLE,
                "spring.flyway.locations",
                "classpath:db/migration/h2"));
    // DATABASE_URL (issue 18): PostgreSQL instead of the H2 file, for R2DBC and for Flyway's JDBC.
    String databaseUrl = environment.getProperty("DATABASE_URL", "").strip();
    if (!databaseUrl.isEmpty()) {
      String user = environment.getProperty("DATABASE_USERNAME", "");
      String password = environment.getProperty("DATABASE_PASSWORD", "");
      derived.put("spring.r2dbc.url", databaseUrl);
      derived.put("spring.flyway.url", PostgresUrl.jdbcOf(databaseUrl));
      derived.put("spring.flyway.locations", "classpath:db/migration/postgresql");
      derived.put("spring.r2dbc.username", user);
      derived.put("spring.r2dbc.password", password);
      derived.put("spring.flyway.user", user);
      derived.put("spring.flyway.password", password);
    }
    requireOneSecretKeyForReplicas(environment, databaseUrl);
    // APP_DEBUG=true: the app's own packages log at DEBUG, whatever APP_LOG_LEVEL says for the
    // rest.
    if (environment.getProperty("studio.debug", Boolean.class, false)) {
      derived.put("logging.level.com.volcstudio", "DEBUG");
    }
    // LOG_DIR set (docker-compose does): also log to a rotated file there, besides stdout.
    String logDir = environment.getProperty("LOG_DIR", "");
    if (!logDir.isBlank()) {
      derived.put("logging.file.name", Path.of(logDir).resolve("studio.log").toString());
    }
    // LOG_FORMAT=json: one JSON object per line (Spring Boot's ECS format) on stdout and in the
    // file,
    // for a log collector. Left alone when unset, so logging.structured.format.* still work
    // directly.
    String structured = structuredFormat(environment.getProperty("LOG_FORMAT", ""));
    if (structured != null) {
      derived.put("logging.structured.format.console", structured);
      derived.put("logging.structured.format.file", structured);
    }
    environment.getPropertySources().addFirst(new MapPropertySource("studioDerived", derived));
  }

  /**
   * Replicas of one studio (a shared PostgreSQL database and Redis, issue 18) must encrypt the
   * provider keys they store with one key: each would otherwise make its own under its DATA_DIR,
   * and keys saved through one replica could not be read by the others. Not safe, so the start
   * stops with one line rather than run so.
   */
  static void requireOneSecretKeyForReplicas(Environment environment, String databaseUrl) {
    if (!databaseUrl.isEmpty()
        && !environment.getProperty("REDIS_URL", "").isBlank()
        && environment.getProperty("APP_SECRET_KEY", "").isBlank()) {
      throw new InvalidSettingException(
          "APP_SECRET_KEY",
          "must be set, the same on every replica, when replicas share DATABASE_URL and"
              + " REDIS_URL (openssl rand -base64 32): each would otherwise encrypt the provider"
              + " keys it stores with a key of its own, which the others cannot read");
    }
  }

  /**
   * DATA_DIR as an absolute path, created if missing. A directory the app cannot write would
   * otherwise surface later as a database error deep in a stack trace; here it stops the start with
   * one line.
   */
  static Path usableDataDir(String configured) {
    Path dataDir;
    try {
      dataDir = Path.of(configured).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new InvalidSettingException("DATA_DIR", "'" + configured + "' is not a valid path");
    }
    try {
      Files.createDirectories(dataDir);
    } catch (IOException | SecurityException e) {
      throw new InvalidSettingException(
          "DATA_DIR", dataDir + " cannot be created (" + e.getClass().getSimpleName() + ")");
    }
    if (!Files.isWritable(dataDir)) {
      throw new InvalidSettingException(
          "DATA_DIR", dataDir + " is not writable by this user; fix its owner or permissions");
    }
    return dataDir;
  }

  /**
   * The Spring Boot structured format for a LOG_FORMAT value; null for the human-readable default.
   */
  static @Nullable String structuredFormat(String logFormat) {
    return switch (logFormat.strip().toLowerCase(Locale.ROOT)) {
      case "", "text" -> null;
      case "json", "ecs" -> "ecs";
      case "logstash" -> "logstash";
      case "gelf" -> "gelf";
      default ->
          throw new InvalidSettingException(
              "LOG_FORMAT", "must be text, json, ecs, logstash or gelf, not '" + logFormat + "'");
    };
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
