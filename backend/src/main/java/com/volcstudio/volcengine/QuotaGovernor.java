package com.volcstudio.volcengine;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Keeps the app inside the account's quota instead of discovering it through 50429 answers: calls
 * wait (without blocking a thread) for a permit of the per-second budget, and what still fails in a
 * retryable way is tried again with exponential, jittered backoff. Concurrency (50430) is bounded by
 * the task dispatcher, which never runs more generations at once than {@code MAX_CONCURRENT_TASKS}.
 */
public final class QuotaGovernor {

  /** Longer than any queue a user would sit through; a call that waits this long fails instead. */
  private static final Duration MAX_WAIT = Duration.ofMinutes(10);

  private final RateLimiter generations;
  private final RateLimiter queries;
  private final Retry retry;

  public QuotaGovernor(int generationsPerSecond, int queriesPerSecond, int maxRetries, Duration firstBackoff) {
    this.generations = RateLimiter.of("volc-generations", perSecond(generationsPerSecond));
    this.queries = RateLimiter.of("volc-queries", perSecond(queriesPerSecond));
    this.retry = Retry.of("volc-upstream", RetryConfig.custom()
        .maxAttempts(maxRetries + 1)
        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(firstBackoff, 2.0, 0.5, firstBackoff.multipliedBy(8)))
        .retryOnException(e -> e instanceof VolcApiException api && api.error().retryable())
        .failAfterMaxAttempts(false)
        .build());
  }

  static QuotaGovernor from(VolcProperties properties) {
    return new QuotaGovernor(properties.qps(), properties.queryQps(), properties.maxRetries(), Duration.ofSeconds(1));
  }

  /** A call that starts generation work (CVProcess, submit): counts against the generation QPS. */
  <T> Mono<T> generation(Mono<T> call) {
    return call.transformDeferred(RateLimiterOperator.of(generations));
  }

  /** A result query: counts against the query QPS. */
  <T> Mono<T> query(Mono<T> call) {
    return call.transformDeferred(RateLimiterOperator.of(queries));
  }

  /** Tries a whole unit of work again while it fails in a way that may pass next time. */
  public <T> Mono<T> withRetries(Mono<T> work) {
    return work.transformDeferred(RetryOperator.of(retry));
  }

  private static RateLimiterConfig perSecond(int permits) {
    return RateLimiterConfig.custom()
        .limitForPeriod(Math.max(1, permits))
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .timeoutDuration(MAX_WAIT)
        .build();
  }
}
