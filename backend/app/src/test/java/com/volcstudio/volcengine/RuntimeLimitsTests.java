package com.volcstudio.volcengine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Rates and concurrency changed at run time apply to the next call, without a new governor. */
class RuntimeLimitsTests {

  @Test
  void aRaisedQpsAppliesToTheNextCalls() {
    AtomicReference<Double> qps = new AtomicReference<>(1.0);
    QuotaGovernor governor =
        new QuotaGovernor(qps::get, () -> 100, 10, 0, Duration.ofMillis(10), null);
    // At 1 QPS the third call starts no earlier than two seconds after the first.
    assertThat(timeOf(governor, 3)).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
    qps.set(50.0);
    // Ten calls: about 0.2 s at 50 QPS, 9 s at the old 1 QPS; the bound leaves room for a busy
    // machine.
    assertThat(timeOf(governor, 10)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void aLoweredQpsSpacesTheNextCallsFurtherApart() {
    AtomicReference<Double> qps = new AtomicReference<>(100.0);
    QuotaGovernor governor =
        new QuotaGovernor(qps::get, () -> 100, 10, 0, Duration.ofMillis(10), null);
    timeOf(governor, 5);
    qps.set(2.0);
    assertThat(timeOf(governor, 3)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  void neverMoreGenerationCallsInFlightThanTheConcurrencySetting() {
    AtomicInteger limit = new AtomicInteger(2);
    QuotaGovernor governor =
        new QuotaGovernor(() -> 1000, limit::get, 10, 0, Duration.ofMillis(10), null);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Mono<Integer> slowCall =
        Mono.defer(
            () -> {
              peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              return Mono.delay(Duration.ofMillis(100)).map(t -> inFlight.decrementAndGet());
            });
    Flux.range(0, 8).flatMap(i -> governor.generation(slowCall)).blockLast(Duration.ofSeconds(10));
    assertThat(peak).hasValue(2);

    limit.set(4);
    peak.set(0);
    Flux.range(0, 8).flatMap(i -> governor.generation(slowCall)).blockLast(Duration.ofSeconds(10));
    assertThat(peak).hasValue(4);
    assertThat(governor.generationsInFlight()).isZero();
  }

  @Test
  void aCancelledOrFailedCallGivesItsSlotBack() {
    QuotaGovernor governor =
        new QuotaGovernor(() -> 1000, () -> 1, 10, 0, Duration.ofMillis(10), null);
    // One call holds the only slot, a second waits for it; both are cancelled.
    var holding = governor.generation(Mono.never()).subscribe();
    var waiting = governor.generation(Mono.never()).subscribe();
    waiting.dispose();
    holding.dispose();
    governor
        .generation(Mono.error(new IllegalStateException("boom")))
        .onErrorResume(e -> Mono.empty())
        .block(Duration.ofSeconds(2));
    assertThat(governor.generationsInFlight()).isZero();
    assertThat(governor.generation(Mono.just("free")).block(Duration.ofSeconds(2)))
        .isEqualTo("free");
  }

  private static Duration timeOf(QuotaGovernor governor, int calls) {
    long started = System.nanoTime();
    List<Integer> done =
        Flux.range(0, calls)
            .flatMap(i -> governor.generation(Mono.just(i)))
            .collectList()
            .block(Duration.ofSeconds(20));
    assertThat(done).hasSize(calls);
    return Duration.ofNanos(System.nanoTime() - started);
  }
}
