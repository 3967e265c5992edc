package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class CoalescerTests {

  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final AtomicInteger runs = new AtomicInteger();
  private final Coalescer coalescer =
      new Coalescer(Duration.ofMillis(250), time, runs::incrementAndGet);

  @Test
  void theFirstRequestAfterAQuietSpellRunsAtOnce() {
    coalescer.request();
    time.advanceTimeBy(Duration.ZERO);
    assertThat(runs).hasValue(1);
  }

  @Test
  void aBurstRunsOncePerIntervalAndOnceMoreAfterTheLastRequest() {
    for (int ms = 0; ms < 900; ms += 10) {
      coalescer.request();
      time.advanceTimeBy(Duration.ofMillis(10));
    }
    // Requests every 10 ms until 890 ms: runs at 0, 250, 500 and 750 ms, and one at 1000 ms for the
    // rest.
    assertThat(runs).hasValue(4);
    time.advanceTimeBy(Duration.ofMillis(250));
    assertThat(runs).hasValue(5);
    time.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(runs).hasValue(5);
  }
}
