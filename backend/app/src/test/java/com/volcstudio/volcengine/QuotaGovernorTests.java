package com.volcstudio.volcengine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class QuotaGovernorTests {

  @Test
  void generationCallsWaitForTheirTurnInsteadOfExceedingTheQps() {
    QuotaGovernor governor = new QuotaGovernor(2, 10, 0, Duration.ofMillis(10));
    long started = System.nanoTime();
    List<Long> startedAt =
        Flux.range(0, 5)
            .flatMap(
                i ->
                    governor.generation(
                        Mono.fromCallable(() -> (System.nanoTime() - started) / 1_000_000)))
            .collectList()
            .block(Duration.ofSeconds(10));
    // Two per one-second window: the fifth call cannot start before the third window opens.
    assertThat(startedAt).hasSize(5);
    assertThat(startedAt.stream().sorted().toList().get(4)).isGreaterThanOrEqualTo(1_900L);
    assertThat(startedAt.stream().filter(t -> t < 900).count()).isLessThanOrEqualTo(2);
  }

  @Test
  void retriesWhenUpstreamAnswersQpsLimit() {
    QuotaGovernor governor = new QuotaGovernor(50, 50, 3, Duration.ofMillis(10));
    AtomicInteger attempts = new AtomicInteger();
    Mono<String> flaky =
        Mono.defer(
            () ->
                attempts.incrementAndGet() < 3
                    ? Mono.error(
                        new VolcApiException(
                            VolcErrorCodes.describe("50429", "Request Has Reached API Limit", 429)))
                    : Mono.just("image"));
    StepVerifier.create(governor.withRetries(flaky)).expectNext("image").verifyComplete();
    assertThat(attempts).hasValue(3);
  }

  @Test
  void neverRetriesAModerationRejection() {
    QuotaGovernor governor = new QuotaGovernor(50, 50, 3, Duration.ofMillis(10));
    AtomicInteger attempts = new AtomicInteger();
    Mono<String> rejected =
        Mono.defer(
            () -> {
              attempts.incrementAndGet();
              return Mono.error(
                  new VolcApiException(
                      VolcErrorCodes.describe("50412", "Text Risk Not Pass", 400)));
            });
    StepVerifier.create(governor.withRetries(rejected))
        .expectErrorSatisfies(
            e -> assertThat(((VolcApiException) e).error().code()).isEqualTo("50412"))
        .verify();
    assertThat(attempts).hasValue(1);
  }

  @Test
  void outsideATaskFailuresThatCostNothingAreRetriedTheConfiguredTimes() {
    QuotaGovernor governor = new QuotaGovernor(50, 50, 2, Duration.ofMillis(10));
    AtomicInteger attempts = new AtomicInteger();
    expectFailure(
        governor.withRetries(failing(attempts, "50500", 500, Integer.MAX_VALUE)), "50500");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void withinATaskFailuresThatCostNothingAreRetriedPastTheCountUntilTheyPass() {
    QuotaGovernor governor = new QuotaGovernor(50, 50, 1, Duration.ofMillis(5));
    AtomicInteger attempts = new AtomicInteger();
    // 5xx, timeouts and quota answers mixed, more of them than VOLC_MAX_RETRIES (1) allows.
    Mono<String> outage =
        Mono.defer(
            () ->
                switch (attempts.incrementAndGet()) {
                  case 1, 3 -> error("50500", 500);
                  case 2 -> error("UPSTREAM_TIMEOUT", 0);
                  case 4, 5 -> error("50429", 429);
                  case 6 -> error("UPSTREAM_UNREACHABLE", 0);
                  default -> Mono.just("image");
                });
    StepVerifier.create(inATask(governor.withRetries(outage), Duration.ofSeconds(30)))
        .expectNext("image")
        .verifyComplete();
    assertThat(attempts).hasValue(7);
  }

  @Test
  void atTheDeadlineTheLastFailureIsTheAnswer() {
    QuotaGovernor governor = new QuotaGovernor(50, 50, 1, Duration.ofMillis(5));
    AtomicInteger attempts = new AtomicInteger();
    long started = System.nanoTime();
    expectFailure(
        inATask(
            governor.withRetries(failing(attempts, "50501", 500, Integer.MAX_VALUE)),
            Duration.ofMillis(400)),
        "50501");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(400));
    assertThat(attempts.get()).isGreaterThan(2);
  }

  @Test
  void aFailureThatMayHaveBeenBilledIsRetriedOnlyTheConfiguredTimesEvenBeforeTheDeadline() {
    QuotaGovernor governor = new QuotaGovernor(50, 50, 2, Duration.ofMillis(5));
    AtomicInteger attempts = new AtomicInteger();
    // 50511: the service generated an image and its own moderation withheld it.
    expectFailure(
        inATask(
            governor.withRetries(failing(attempts, "50511", 400, Integer.MAX_VALUE)),
            Duration.ofMinutes(5)),
        "50511");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void aFinalAnswerIsNotRetriedWithinATaskEither() {
    QuotaGovernor governor = new QuotaGovernor(50, 50, 3, Duration.ofMillis(5));
    AtomicInteger attempts = new AtomicInteger();
    expectFailure(
        inATask(
            governor.withRetries(failing(attempts, "50200", 400, Integer.MAX_VALUE)),
            Duration.ofMinutes(5)),
        "50200");
    assertThat(attempts).hasValue(1);
  }

  @Test
  void eachRetryIsReportedWithTheCodeThatCausedIt() {
    QuotaGovernor governor = new QuotaGovernor(50, 50, 3, Duration.ofMillis(5));
    List<String> retried = new java.util.concurrent.CopyOnWriteArrayList<>();
    governor.onRetry(retried::add);
    AtomicInteger attempts = new AtomicInteger();
    StepVerifier.create(
            inATask(
                governor.withRetries(failing(attempts, "50430", 429, 2)), Duration.ofMinutes(5)))
        .expectNext("image")
        .verifyComplete();
    assertThat(retried).containsExactly("50430", "50430");
  }

  /** Subscribed as a task's work is: with its deadline in the context. */
  private static Mono<String> inATask(Mono<String> work, Duration deadline) {
    return work.contextWrite(QuotaGovernor.deadlineIn(deadline));
  }

  /** {@code work} ends with the upstream failure {@code code}, within 10 s. */
  private static void expectFailure(Mono<String> work, String code) {
    StepVerifier.create(work)
        .expectErrorSatisfies(
            e -> assertThat(((VolcApiException) e).error().code()).isEqualTo(code))
        .verify(Duration.ofSeconds(10));
  }

  /** Fails with {@code code} the first {@code failures} times, then answers "image". */
  private static Mono<String> failing(
      AtomicInteger attempts, String code, int status, int failures) {
    return Mono.defer(
        () -> attempts.incrementAndGet() <= failures ? error(code, status) : Mono.just("image"));
  }

  private static Mono<String> error(String code, int status) {
    return Mono.error(new VolcApiException(VolcErrorCodes.describe(code, "injected", status)));
  }
}
