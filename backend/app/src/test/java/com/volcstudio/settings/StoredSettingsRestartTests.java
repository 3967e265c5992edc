package com.volcstudio.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.StudioApplication;
import com.volcstudio.connection.Providers;
import com.volcstudio.connection.StudioMode;
import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * What was changed through the API is what the next start uses; keys only with the same master key.
 */
class StoredSettingsRestartTests {

  private static final String ACCESS_KEY = "AKLTrestarttests0000000000000001";
  private static final String SECRET_KEY = "cmVzdGFydC10ZXN0cy1zZWNyZXQta2V5LXZhbHVl";
  private static final VolcEmulator standalone =
      VolcEmulator.start(
          EmulatorSettings.loopback(0, ACCESS_KEY, SECRET_KEY, Duration.ofMillis(20)));

  @AfterAll
  static void stopEmulator() {
    standalone.close();
  }

  @Test
  void storedKeysAndRuntimeSettingsSurviveARestartAndAnotherMasterKeyIgnoresTheKeys() {
    Path dataDir = Path.of("target/test-data", UUID.randomUUID().toString());
    String masterKey = "--APP_SECRET_KEY=a-passphrase-for-the-restart-test-of-32+chars";
    try (ConfigurableApplicationContext first = start(dataDir, masterKey)) {
      assertThat(first.getBean(Providers.class).mode()).isEqualTo(StudioMode.DEMO);
      WebClient api = api(first);
      api.put()
          .uri("/api/v1/settings/credentials/volcengine")
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(Map.of("access_key", ACCESS_KEY, "secret_key", SECRET_KEY))
          .retrieve()
          .toBodilessEntity()
          .block();
      api.patch()
          .uri("/api/v1/settings")
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(Map.of("volc_qps", 7, "max_concurrent_tasks", 4))
          .retrieve()
          .toBodilessEntity()
          .block();
    }

    try (ConfigurableApplicationContext second = start(dataDir, masterKey)) {
      Providers.Active active = second.getBean(Providers.class).current();
      assertThat(active.mode()).isEqualTo(StudioMode.LIVE);
      assertThat(active.visualSource()).isEqualTo(Providers.Source.STORED);
      assertThat(active.visual())
          .hasValueSatisfying(c -> assertThat(c.endpoint()).isEqualTo(standalone.endpoint()));
      RuntimeSettings runtime = second.getBean(CurrentSettings.class).get();
      assertThat(runtime.volcQps()).isEqualTo(7.0);
      assertThat(runtime.maxConcurrentTasks()).isEqualTo(4);
    }

    // APP_SECRET_KEY changed: the stored keys cannot be read, so they are not used; the settings
    // still are.
    try (ConfigurableApplicationContext third =
        start(dataDir, "--APP_SECRET_KEY=a-different-passphrase-of-32-characters-or-more")) {
      assertThat(third.getBean(Providers.class).mode()).isEqualTo(StudioMode.DEMO);
      assertThat(third.getBean(CurrentSettings.class).get().volcQps()).isEqualTo(7.0);
    }
  }

  private static ConfigurableApplicationContext start(Path dataDir, String masterKey) {
    return new SpringApplication(StudioApplication.class)
        .run(
            "--DATA_DIR=" + dataDir,
            "--APP_PORT=0",
            "--VOLC_ENDPOINT=" + standalone.endpoint(),
            "--DEMO_LATENCY=20ms",
            masterKey);
  }

  private static WebClient api(ConfigurableApplicationContext context) {
    return WebClient.create(
        "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
  }
}
