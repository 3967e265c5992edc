package com.volcstudio.volcengine;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import reactor.core.publisher.Mono;

/**
 * Keeps the app inside the account's quota instead of discovering it through 50429 answers: calls
 * wait (without blocking a thread) for their turn, and what still fails in a retryable way is tried
 * again with exponential, jittered backoff (resilience4j). Generation calls in flight are bounded
 * too ({@code VOLC_CONCURRENCY} / {@code ARK_CONCURRENCY}, answered with 50430 above it), on top of
 * the task dispatcher's {@code MAX_CONCURRENT_TASKS}. Rates and the concurrency are read per call,
 * so settings changed at run time apply to the next call.
 */
public final class QuotaGovernor {

  private static final Duration QUOTA_PAUSE = Duration.ofMillis(100);

  private final ConcurrencyLimiter inFlight;
  private final PermitSpacer generations;
  private final PermitSpacer queries;
  private final Retry retry;

  /** Fixed rates and no concurrency bound of its own (tests and benchmarks). */
  public QuotaGovernor(
      int generationsPerSecond, int queriesPerSecond, int maxRetries, Duration firstBackoff) {
    this(
        () -> generationsPerSecond,
        () -> Integer.MAX_VALUE,
        queriesPerSecond,
        maxRetries,
        firstBackoff);
  }

  /**
   * @param generationsPerSecond read at every generation call
   * @param concurrency generation calls in flight at once, read at every generation call
   */
  public QuotaGovernor(
      DoubleSupplier generationsPerSecond,
      IntSupplier concurrency,
      double queriesPerSecond,
      int maxRetries,
      Duration firstBackoff) {
    this.inFlight = new ConcurrencyLimiter(concurrency);
    this.generations = new PermitSpacer(generationsPerSecond);
    this.queries = new PermitSpacer(queriesPerSecond);
    this.retry =
        Retry.of(
            "volc-upstream",
            RetryConfig.custom()
                .maxAttempts(maxRetries + 1)
                .intervalBiFunction(backoff(firstBackoff))
                .retryOnException(e -> e instanceof VolcApiException api && api.error().retryable())
                .failAfterMaxAttempts(false)
                .build());
  }

  /**
   * Tells the listener the error code of every failed call that is about to be tried again (for the
   * retries metric); errors that are not {@link VolcApiException}s are reported as {@code OTHER}.
   */
  public void onRetry(Consumer<String> listener) {
    retry
        .getEventPublisher()
        .onRetry(
            event ->
                listener.accept(
                    event.getLastThrowable() instanceof VolcApiException api
                        ? api.error().code()
                        : "OTHER"));
  }

  /**
   * A quota answer (50429, 50430, FlowLimitExceeded) needs no long pause: the retry waits for its
   * turn in the spacer anyway. Other failures back off exponentially with jitter, up to eight times
   * the first pause.
   */
  private static IntervalBiFunction<Object> backoff(Duration first) {
    IntervalFunction exponential =
        IntervalFunction.ofExponentialRandomBackoff(first, 2.0, 0.5, first.multipliedBy(8));
    return (attempt, outcome) ->
        outcome.isLeft()
                && outcome.getLeft() instanceof VolcApiException api
                && isQuota(api.error().code())
            ? QUOTA_PAUSE.toMillis()
            : exponential.apply(attempt);
  }

  private static boolean isQuota(String code) {
    return code.equals("50429") || code.equals("50430") || code.equals("FlowLimitExceeded");
  }

  /** The visual API's governor: VOLC_QPS and VOLC_CONCURRENCY as they are at each call. */
  static QuotaGovernor visual(VolcProperties properties, UpstreamLimits limits) {
    return new QuotaGovernor(
        limits::visualQps,
        limits::visualConcurrency,
        properties.queryQps(),
        properties.maxRetries(),
        Duration.ofSeconds(1));
  }

  /**
   * Ark's quota is its own and counted per minute (ARK_RPM, ARK_CONCURRENCY); it has no result
   * queries.
   */
  static QuotaGovernor ark(VolcProperties properties, UpstreamLimits limits) {
    return new QuotaGovernor(
        () -> limits.arkRpm() / 60.0,
        limits::arkConcurrency,
        1,
        properties.maxRetries(),
        Duration.ofSeconds(1));
  }

  /**
   * A call that starts generation work (CVProcess, submit, Ark): takes a concurrency slot, then
   * waits for its turn in the generation rate. In that order, so waiting for a slot never wastes a
   * turn.
   */
  <T> Mono<T> generation(Mono<T> call) {
    return inFlight.limit(generations.inTurn(call));
  }

  /** Generation calls in flight right now. */
  int generationsInFlight() {
    return inFlight.inFlight();
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
