package com.volcstudio.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyModelTests {

  private final LatencyModel latency =
      new LatencyModel(EmulatorSettings.loopback(0, "AK", "SK", Duration.ofSeconds(1)));

  @Test
  void eachImageTakesTheConfiguredLatency() {
    assertThat(latency.forImages(3, "a lighthouse")).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aLatencyMarkerInThePromptReplacesItForThatRequestOnly() {
    assertThat(latency.forImages(2, "__latency_4000ms__ a lighthouse"))
        .isEqualTo(Duration.ofSeconds(8));
    assertThat(latency.forImages(1, "a lighthouse __latency_0ms__")).isZero();
    assertThat(latency.forImages(1, "a lighthouse")).isEqualTo(Duration.ofSeconds(1));
  }
}
