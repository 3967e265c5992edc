package com.volcstudio.volcengine;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Keeps the app inside the account's quota instead of discovering it through 50429 answers: calls
 * wait (without blocking a thread) for their turn, and what still fails in a retryable way is tried
 * again with exponential, jittered backoff (resilience4j). Concurrency (50430) is bounded by the task
 * dispatcher, which never runs more generations at once than {@code MAX_CONCURRENT_TASKS}.
 */
public final class QuotaGovernor {

  private static final Duration QUOTA_PAUSE = Duration.ofMillis(100);

  private final PermitSpacer generations;
  private final PermitSpacer queries;
  private final Retry retry;

  public QuotaGovernor(int generationsPerSecond, int queriesPerSecond, int maxRetries, Duration firstBackoff) {
    this.generations = new PermitSpacer(generationsPerSecond);
    this.queries = new PermitSpacer(queriesPerSecond);
    this.retry = Retry.of("volc-upstream", RetryConfig.custom()
        .maxAttempts(maxRetries + 1)
        .intervalBiFunction(backoff(firstBackoff))
        .retryOnException(e -> e instanceof VolcApiException api && api.error().retryable())
        .failAfterMaxAttempts(false)
        .build());
  }

  /**
   * A quota answer (50429, 50430, FlowLimitExceeded) needs no long pause: the retry waits for its turn
   * in the spacer anyway. Other failures back off exponentially with jitter, up to eight times the first pause.
   */
  private static IntervalBiFunction<Object> backoff(Duration first) {
    IntervalFunction exponential = IntervalFunction.ofExponentialRandomBackoff(first, 2.0, 0.5, first.multipliedBy(8));
    return (attempt, outcome) -> outcome.isLeft() && outcome.getLeft() instanceof VolcApiException api && isQuota(api.error().code())
        ? QUOTA_PAUSE.toMillis()
        : exponential.apply(attempt);
  }

  private static boolean isQuota(String code) {
    return code.equals("50429") || code.equals("50430") || code.equals("FlowLimitExceeded");
  }

  static QuotaGovernor from(VolcProperties properties) {
    return new QuotaGovernor(properties.qps(), properties.queryQps(), properties.maxRetries(), Duration.ofSeconds(1));
  }

  /** A call that starts generation work (CVProcess, submit): counts against the generation QPS. */
  <T> Mono<T> generation(Mono<T> call) {
    return generations.inTurn(call);
  }

  /** A result query: counts against the query QPS. */
  <T> Mono<T> query(Mono<T> call) {
    return queries.inTurn(call);
  }

  /** Tries a whole unit of work again while it fails in a way that may pass next time. */
  public <T> Mono<T> withRetries(Mono<T> work) {
    return work.transformDeferred(RetryOperator.of(retry));
  }
}
