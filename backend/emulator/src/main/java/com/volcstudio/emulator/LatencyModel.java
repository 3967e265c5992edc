package com.volcstudio.emulator;

import java.time.Duration;
import java.util.Random;

/** How long one image takes: the configured latency plus a seeded, hence reproducible, jitter. */
final class LatencyModel {

  private final Duration base;
  private final long jitterMillis;
  private final Random random;

  LatencyModel(EmulatorSettings settings) {
    this.base = settings.latency();
    this.jitterMillis = settings.jitter().max().toMillis();
    this.random = new Random(settings.jitter().seed());
  }

  synchronized Duration perImage() {
    return jitterMillis <= 0 ? base : base.plusMillis(random.nextLong(jitterMillis + 1));
  }

  /** A prompt's {@code __latency_…ms__} marker replaces the configured latency and its jitter. */
  Duration forImages(int count, String prompt) {
    return PromptMarkers.latency(prompt)
        .map(each -> each.multipliedBy(count))
        .orElseGet(() -> forImages(count));
  }

  Duration forImages(int count) {
    Duration total = Duration.ZERO;
    for (int i = 0; i < count; i++) {
      total = total.plus(perImage());
    }
    return total;
  }
}
