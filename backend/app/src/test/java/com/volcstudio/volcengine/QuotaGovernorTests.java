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
    StepVerifier.create(governor.withRetries(failing(attempts, "50500", 500, Integer.MAX_VALUE)))
        .expectErrorSatisfies(
            e -> assertThat(((VolcApiException) e).error().code()).isEqualTo("50500"))
        .verify();
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
    StepVerifier.create(
            governor
                .withRetries(outage)
                .contextWrite(QuotaGovernor.deadlineIn(Duration.ofSeconds(30))))
        .expectNext("image")
        .verifyComplete();
    assertThat(attempts).hasValue(7);
  }

  @Test
  void atTheDeadlineTheLastFailureIsTheAnswer() {
    QuotaGovernor governor = new QuotaGovernor(50, 50, 1, Duration.ofMillis(5));
    AtomicInteger attempts = new AtomicInteger();
    long started = System.nanoTime();
    StepVerifier.create(
            governor
                .withRetries(failing(attempts, "50501", 500, Integer.MAX_VALUE))
                .contextWrite(QuotaGovernor.deadlineIn(Duration.ofMillis(400))))
        .expectErrorSatisfies(
            e -> assertThat(((VolcApiException) e).error().code()).isEqualTo("50501"))
        .verify(Duration.ofSeconds(10));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(400));
    assertThat(attempts.get()).isGreaterThan(2);
  }

  @Test
  void aFailureThatMayHaveBeenBilledIsRetriedOnlyTheConfiguredTimesEvenBeforeTheDeadline() {
    QuotaGovernor governor = new QuotaGovernor(50, 50, 2, Duration.ofMillis(5));
    AtomicInteger attempts = new AtomicInteger();
    // 50511: the service generated an image and its own moderation withheld it.
    StepVerifier.create(
            governor
                .withRetries(failing(attempts, "50511", 400, Integer.MAX_VALUE))
                .contextWrite(QuotaGovernor.deadlineIn(Duration.ofMinutes(5))))
        .expectErrorSatisfies(
            e -> assertThat(((VolcApiException) e).error().code()).isEqualTo("50511"))
        .verify(Duration.ofSeconds(10));
    assertThat(attempts).hasValue(3);
  }

  @Test
  void aFinalAnswerIsNotRetriedWithinATaskEither() {
    QuotaGovernor governor = new QuotaGovernor(50, 50, 3, Duration.ofMillis(5));
    AtomicInteger attempts = new AtomicInteger();
    StepVerifier.create(
            governor
                .withRetries(failing(attempts, "50200", 400, Integer.MAX_VALUE))
                .contextWrite(QuotaGovernor.deadlineIn(Duration.ofMinutes(5))))
        .expectErrorSatisfies(
            e -> assertThat(((VolcApiException) e).error().code()).isEqualTo("50200"))
        .verify(Duration.ofSeconds(10));
    assertThat(attempts).hasValue(1);
  }

  @Test
  void eachRetryIsReportedWithTheCodeThatCausedIt() {
    QuotaGovernor governor = new QuotaGovernor(50, 50, 3, Duration.ofMillis(5));
    List<String> retried = new java.util.concurrent.CopyOnWriteArrayList<>();
    governor.onRetry(retried::add);
    AtomicInteger attempts = new AtomicInteger();
    StepVerifier.create(
            governor
                .withRetries(failing(attempts, "50430", 429, 2))
                .contextWrite(QuotaGovernor.deadlineIn(Duration.ofMinutes(5))))
        .expectNext("image")
        .verifyComplete();
    assertThat(retried).containsExactly("50430", "50430");
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
