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
  void givesUpAfterTheConfiguredRetriesWithTheLastError() {
    QuotaGovernor governor = new QuotaGovernor(50, 50, 2, Duration.ofMillis(10));
    AtomicInteger attempts = new AtomicInteger();
    Mono<String> down =
        Mono.defer(
            () -> {
              attempts.incrementAndGet();
              return Mono.error(
                  new VolcApiException(VolcErrorCodes.describe("50500", "Internal Error", 500)));
            });
    StepVerifier.create(governor.withRetries(down))
        .expectErrorSatisfies(
            e -> assertThat(((VolcApiException) e).error().code()).isEqualTo("50500"))
        .verify();
    assertThat(attempts).hasValue(3);
  }
}
