package com.volcstudio.coordination;

import com.volcstudio.StudioApplication;
import com.volcstudio.database.PostgresServer;
import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A replica of the studio in this JVM for the tests of issue 18, on a random port: its settings
 * built up from the parts it shares. (One JVM: a replica closed before the others would take their
 * shared Netty event loops with it, so a test closes them together.)
 */
final class Replica {

  private final List<String> settings =
      new ArrayList<>(
          List.of(
              "APP_PORT=0",
              "APP_LOG_LEVEL=WARN",
              "DATA_DIR=" + Path.of("target/test-data", UUID.randomUUID().toString())));

  static Replica of() {
    return new Replica();
  }

  /**
   * One studio: a PostgreSQL database, Redis, the one master key and the one DATA_DIR all its
   * replicas need.
   */
  Replica cluster(PostgresServer postgres, String database, RedisServer redis) {
    return with(
        // One DATA_DIR for the studio's replicas: without S3 they must share it.
        "DATA_DIR=" + Path.of("target/test-data", "cluster-" + postgres.port() + "-" + database),
        "DATABASE_URL=" + postgres.r2dbcUrl(database),
        "DATABASE_USERNAME=postgres",
        "REDIS_URL=" + redis.url(),
        "APP_SECRET_KEY=" + RedisServer.REPLICAS_SECRET_KEY);
  }

  /** Live mode against the emulated account (demo mode otherwise). */
  Replica live(VolcEmulator emulator) {
    return with(
        "VOLC_ENDPOINT=" + emulator.endpoint(),
        "VOLC_ACCESS_KEY=" + emulator.settings().accessKey(),
        "VOLC_SECRET_KEY=" + emulator.settings().secretKey());
  }

  /** More settings; a later one wins over an earlier one of the same name. */
  Replica with(String... more) {
    settings.addAll(List.of(more));
    return this;
  }

  ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(StudioApplication.class)
        .properties(settings.toArray(String[]::new))
        .run();
  }

  /** An emulated VolcEngine account on loopback, with the default keys and no quota. */
  static VolcEmulator emulator(Duration latency) {
    return VolcEmulator.start(
        EmulatorSettings.loopback(
            0, EmulatorSettings.DEFAULT_ACCESS_KEY, EmulatorSettings.DEFAULT_SECRET_KEY, latency));
  }

  static WebClient client(ConfigurableApplicationContext app) {
    return WebClient.builder()
        .baseUrl("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort())
        // Images and ZIPs are bigger than the default 256 KB a body may be buffered to.
        .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(32 * 1024 * 1024))
        .build();
  }
}
