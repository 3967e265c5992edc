package com.volcstudio.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmulatorSettingsTests {

  @Test
  void theStandaloneEmulatorHasTheDocumentedQuotasAndLifetimesByDefault() {
    EmulatorSettings settings = EmulatorSettings.fromEnvironment(Map.of());
    assertThat(settings.quotas()).isEqualTo(EmulatorSettings.Quotas.standard());
    assertThat(settings.async().taskLifetime()).isEqualTo(Duration.ofHours(12));
    assertThat(settings.async().resultUrlLifetime()).isNull();
    assertThat(settings.async().pendingResult())
        .isEqualTo(EmulatorSettings.PendingResult.STATUS_ONLY);
  }

  @Test
  void environmentVariablesOverrideQuotasLifetimesJitterAndTheArkKey() {
    EmulatorSettings settings =
        EmulatorSettings.fromEnvironment(
            Map.of(
                "EMULATOR_QPS",
                "5",
                "EMULATOR_QPS_QUERY",
                "20",
                "EMULATOR_CONCURRENCY",
                "3",
                "EMULATOR_TASK_LIFETIME_SECONDS",
                "60",
                "EMULATOR_RESULT_URL_LIFETIME_SECONDS",
                "30",
                "EMULATOR_PENDING_RESULT",
                "null_images",
                "EMULATOR_LATENCY_JITTER_MS",
                "200",
                "EMULATOR_JITTER_SEED",
                "7",
                "EMULATOR_ARK_API_KEY",
                "k"));
    assertThat(settings.quotas()).isEqualTo(new EmulatorSettings.Quotas(5, 5, 20, 5, 5, 3));
    assertThat(settings.async())
        .isEqualTo(
            new EmulatorSettings.Async(
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                EmulatorSettings.PendingResult.NULL_IMAGES,
                null));
    assertThat(settings.jitter()).isEqualTo(new EmulatorSettings.Jitter(Duration.ofMillis(200), 7));
    assertThat(settings.arkApiKey()).isEqualTo("k");
  }

  @Test
  void theSecretKeysNeverAppearInToString() {
    EmulatorSettings settings = EmulatorSettings.fromEnvironment(Map.of());
    assertThat(settings.toString())
        .doesNotContain(settings.secretKey())
        .doesNotContain(settings.arkApiKey());
  }

  @Test
  void jitterIsReproducibleForASeed() {
    EmulatorSettings settings =
        EmulatorSettings.loopback(0, "AK", "SK", Duration.ofMillis(100))
            .withJitter(new EmulatorSettings.Jitter(Duration.ofMillis(50), 42));
    LatencyModel first = new LatencyModel(settings);
    LatencyModel second = new LatencyModel(settings);
    for (int i = 0; i < 10; i++) {
      Duration latency = first.perImage();
      assertThat(latency)
          .isEqualTo(second.perImage())
          .isBetween(Duration.ofMillis(100), Duration.ofMillis(150));
    }
  }
}
