package com.volcstudio.volcengine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The circuit of one provider account, through the governor's calls as the clients make them: what
 * opens it, what waits while it is open, what its probe does.
 */
class UpstreamBreakerTests {

  private static final Duration FIRST_PROBE = Duration.ofMillis(100);

  private final AtomicInteger probes = new AtomicInteger();
  private final UpstreamBreaker breaker =
      new UpstreamBreaker(
          "visual", CircuitBreakerRegistry.ofDefaults(), 3, FIRST_PROBE, Clock.systemUTC());
  private final QuotaGovernor governor =
      new QuotaGovernor(() -> 1000, () -> 100, 1000, 0, Duration.ofMillis(5), breaker);

  @Test
  void opensAfterOutageFailuresInARowAndCallsWaitUntilAProbeIsAnswered() throws Exception {
    probeAnswersAfter(1);
    fail(3, "50500", 500);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.outage())
        .hasValueSatisfying(o -> assertThat(o.provider()).isEqualTo("visual"));

    AtomicInteger calls = new AtomicInteger();
    long started = System.nanoTime();
    StepVerifier.create(governor.generation(Mono.fromCallable(calls::incrementAndGet)))
        .expectNext(1)
        .expectComplete()
        .verify(Duration.ofSeconds(5));
    // The first probe (after 100 ms) failed, the second (200 ms later) was answered; only then
    // did the waiting call go out, once.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(250));
    assertThat(probes).hasValue(2);
    assertThat(calls).hasValue(1);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.outage()).isEmpty();
  }

  @Test
  void quotaAnswersAndRefusalsOfTheRequestNeverOpenIt() throws Exception {
    probeAnswersAfter(0);
    fail(20, "50429", 429);
    fail(20, "50430", 429);
    fail(20, "50412", 400);
    fail(20, "50413", 400);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(probes).hasValue(0);
  }

  @Test
  void anAnswerBetweenFailuresKeepsItClosed() throws Exception {
    probeAnswersAfter(0);
    for (int i = 0; i < 10; i++) {
      fail(2, "50500", 500);
      StepVerifier.create(governor.generation(Mono.just("image")))
          .expectNext("image")
          .expectComplete()
          .verify(Duration.ofSeconds(5));
    }
    breaker.awaitCounted();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void aCallWaitingInATaskFailsAtTheTaskDeadlineWithTheOutagesLastFailure() throws Exception {
    probeAnswersAfter(Integer.MAX_VALUE);
    fail(3, "50501", 500);
    AtomicInteger calls = new AtomicInteger();
    StepVerifier.create(
            governor
                .generation(Mono.fromCallable(calls::incrementAndGet))
                .contextWrite(QuotaGovernor.deadlineIn(Duration.ofMillis(300))))
        .expectErrorSatisfies(
            e -> assertThat(((VolcApiException) e).error().code()).isEqualTo("50501"))
        .verify(Duration.ofSeconds(5));
    assertThat(calls).hasValue(0);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void checksAndCancellationsGoOutWhileItIsOpen() throws Exception {
    probeAnswersAfter(Integer.MAX_VALUE);
    fail(3, "50500", 500);
    StepVerifier.create(
            governor.query(Mono.just("not_found")).contextWrite(QuotaGovernor.bypassingBreaker()))
        .expectNext("not_found")
        .expectComplete()
        .verify(Duration.ofSeconds(5));
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void probesBackOffWhileTheServiceStaysDown() throws Exception {
    probeAnswersAfter(Integer.MAX_VALUE);
    fail(3, "50500", 500);
    Thread.sleep(1_000);
    // 100, 200, 400 ms: three probes within the second, not ten.
    assertThat(probes.get()).isBetween(2, 4);
    assertThat(breaker.outage().orElseThrow().nextCheckAt())
        .isAfter(breaker.outage().orElseThrow().since().plusMillis(600));
  }

  @Test
  void aResetClosesItAndReleasesTheWaitingCalls() throws Exception {
    probeAnswersAfter(Integer.MAX_VALUE);
    fail(3, "50500", 500);
    Mono<String> waiting = governor.generation(Mono.just("image"));
    StepVerifier.create(waiting)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(150))
        .then(breaker::reset)
        .expectNext("image")
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  /** The probe fails with a 5xx the first {@code failures} times, then is answered. */
  private void probeAnswersAfter(int failures) {
    breaker.probeWith(
        () ->
            probes.incrementAndGet() <= failures
                ? Mono.error(new VolcApiException(VolcErrorCodes.describe("50500", "down", 500)))
                : Mono.empty());
  }

  /** Calls failing with {@code code}, each counted before this returns. */
  private void fail(int times, String code, int status) throws Exception {
    for (int i = 0; i < times; i++) {
      StepVerifier.create(
              governor.generation(
                  Mono.error(
                      new VolcApiException(VolcErrorCodes.describe(code, "injected", status)))))
          .expectError(VolcApiException.class)
          .verify(Duration.ofSeconds(5));
    }
    breaker.awaitCounted();
  }
}
