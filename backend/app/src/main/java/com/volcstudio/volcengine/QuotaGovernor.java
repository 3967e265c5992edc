package com.volcstudio.volcengine;

import com.volcstudio.coordination.SharedLimits;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

/**
 * Keeps the app inside the account's quota instead of discovering it through 50429 answers: calls
 * wait (without blocking a thread) for their turn, and what still fails in a retryable way is tried
 * again with exponential, jittered backoff: until the task's deadline where a retry cannot cost
 * money, at most {@code VOLC_MAX_RETRIES} times where it may ({@link UpstreamError.Retry}).
 * Reactor's retry specs rather than resilience4j's Retry: the deadline is the task's, carried in
 * the subscriber's context ({@link #deadlineIn}), while a resilience4j Retry is configured once per
 * instance. Generation calls in flight are bounded too ({@code VOLC_CONCURRENCY} / {@code
 * ARK_CONCURRENCY}, answered with 50430 above it), on top of the task dispatcher's {@code
 * MAX_CONCURRENT_TASKS}. Rates and the concurrency are read per call, so settings changed at run
 * time apply to the next call.
 */
public final class QuotaGovernor {

  private static final Logger log = LoggerFactory.getLogger(QuotaGovernor.class);
  private static final Duration QUOTA_PAUSE = Duration.ofMillis(100);
  private static final Duration MAX_QUOTA_PAUSE = Duration.ofSeconds(5);
  private static final Duration MAX_OUTAGE_PAUSE = Duration.ofSeconds(10);
  private static final String DEADLINE = QuotaGovernor.class.getName() + ".deadline";
  private static final String BYPASS = QuotaGovernor.class.getName() + ".bypass";
  private static final String SLOT_HELD = QuotaGovernor.class.getName() + ".slotHeld";

  private final ConcurrencyLimiter inFlight;
  private final PermitSpacer generations;
  private final PermitSpacer queries;
  private final IntSupplier concurrency;
  private final DoubleSupplier generationsPerSecond;
  private final double queriesPerSecond;
  private final SharedLimits shared;
  private final String account;
  private final int maxRetries;
  private final Duration firstBackoff;
  private final @Nullable UpstreamBreaker breaker;
  private volatile Consumer<String> retryListener = code -> {};
  private volatile BiConsumer<String, Duration> waitListener = (kind, waited) -> {};

  /** Fixed rates and no concurrency bound of its own (tests and benchmarks). */
  public QuotaGovernor(
      int generationsPerSecond, int queriesPerSecond, int maxRetries, Duration firstBackoff) {
    this(
        () -> generationsPerSecond,
        () -> Integer.MAX_VALUE,
        queriesPerSecond,
        maxRetries,
        firstBackoff,
        null,
        SharedLimits.local(),
        "test");
  }

  /** This JVM's limits alone (tests). */
  public QuotaGovernor(
      DoubleSupplier generationsPerSecond,
      IntSupplier concurrency,
      double queriesPerSecond,
      int maxRetries,
      Duration firstBackoff,
      @Nullable UpstreamBreaker breaker) {
    this(
        generationsPerSecond,
        concurrency,
        queriesPerSecond,
        maxRetries,
        firstBackoff,
        breaker,
        SharedLimits.local(),
        "test");
  }

  /**
   * @param generationsPerSecond read at every generation call
   * @param concurrency generation calls in flight at once, read at every generation call
   * @param breaker waits out an outage of the account; null: calls always go out
   * @param shared the same limits across replicas (REDIS_URL), on top of this JVM's
   * @param account the provider account's name in the shared limits' keys
   */
  public QuotaGovernor(
      DoubleSupplier generationsPerSecond,
      IntSupplier concurrency,
      double queriesPerSecond,
      int maxRetries,
      Duration firstBackoff,
      @Nullable UpstreamBreaker breaker,
      SharedLimits shared,
      String account) {
    this.inFlight = new ConcurrencyLimiter(concurrency);
    this.concurrency = concurrency;
    this.generationsPerSecond = generationsPerSecond;
    this.queriesPerSecond = queriesPerSecond;
    this.shared = shared;
    this.account = account;
    this.generations = new PermitSpacer(generationsPerSecond);
    this.queries = new PermitSpacer(queriesPerSecond);
    this.maxRetries = maxRetries;
    this.firstBackoff = firstBackoff;
    this.breaker = breaker;
  }

  /**
   * Tells the listener the error code of every failed call that is about to be tried again (for the
   * retries metric); errors that are not {@link VolcApiException}s are reported as {@code OTHER}.
   */
  public void onRetry(Consumer<String> listener) {
    retryListener = listener;
  }

  /**
   * Tells the listener how long each call waited for its turn and permit ({@code generation} or
   * {@code query}), this JVM's and the shared ones, before it was sent (for the governor's wait
   * metric).
   */
  public void onWait(BiConsumer<String, Duration> listener) {
    waitListener = listener;
  }

  /** {@code call}, telling the wait listener how long it waited from now until it is sent. */
  private <T> Mono<T> timed(String kind, Mono<T> call, long askedNanos) {
    return Mono.defer(
        () -> {
          waitListener.accept(kind, Duration.ofNanos(System.nanoTime() - askedNanos));
          return call;
        });
  }

  /**
   * The deadline of the work subscribed with this context (a task's): failures that cost nothing
   * are tried again until then. Measured from the subscription, on the monotonic clock.
   */
  public static Function<Context, Context> deadlineIn(Duration budget) {
    return context -> context.put(DEADLINE, System.nanoTime() + budget.toNanos());
  }

  /**
   * Calls subscribed with this context go out even while the account's circuit is open: the outage
   * probe, connection checks and cancellations, which are cheap and say something.
   */
  public static Function<Context, Context> bypassingBreaker() {
    return context -> context.put(BYPASS, true);
  }

  /** Tries a whole unit of work again while it fails in a way that may pass next time. */
  public <T> Mono<T> withRetries(Mono<T> work) {
    return Mono.deferContextual(
        context -> {
          Long deadline = context.getOrDefault(DEADLINE, null);
          // Quota answers first, with short pauses (the retry waits for its turn in the spacer
          // anyway); then other failures that cost nothing, with pauses growing to ten seconds,
          // so an outage is waited out without hammering; around both, what may be billed.
          return work.retryWhen(unbilled(deadline, QUOTA_PAUSE, MAX_QUOTA_PAUSE, true))
              .retryWhen(unbilled(deadline, firstBackoff, MAX_OUTAGE_PAUSE, false))
              .retryWhen(bounded(deadline != null));
        });
  }

  private RetryBackoffSpec unbilled(
      @Nullable Long deadline, Duration first, Duration max, boolean quota) {
    return Retry.backoff(Long.MAX_VALUE, first)
        .maxBackoff(max)
        .jitter(0.5)
        .filter(
            e ->
                deadline != null
                    && System.nanoTime() - deadline < 0
                    && e instanceof VolcApiException api
                    && api.error().retry() == UpstreamError.Retry.UNBILLED
                    && isQuota(api.error()) == quota)
        .doBeforeRetry(this::retried);
  }

  /**
   * What may be billed, at most {@code VOLC_MAX_RETRIES} times. Without a deadline (a connection
   * check, a call outside a task) failures that cost nothing are counted here as well.
   */
  private RetryBackoffSpec bounded(boolean deadlineSet) {
    return Retry.backoff(maxRetries, firstBackoff)
        .maxBackoff(firstBackoff.multipliedBy(8))
        .jitter(0.5)
        .filter(
            e ->
                e instanceof VolcApiException api
                    && (api.error().retry() == UpstreamError.Retry.BOUNDED
                        || (!deadlineSet && api.error().retry() == UpstreamError.Retry.UNBILLED)))
        .doBeforeRetry(this::retried)
        // The last failure itself, which explains the task's end.
        .onRetryExhaustedThrow((spec, signal) -> signal.failure());
  }

  private void retried(Retry.RetrySignal signal) {
    String code = signal.failure() instanceof VolcApiException api ? api.error().code() : "OTHER";
    log.debug("retrying after {} ({} in a row)", code, signal.totalRetriesInARow() + 1);
    retryListener.accept(code);
  }

  /** A refusal for the account's rate or concurrency, as opposed to a failure of the service. */
  static boolean isQuota(UpstreamError error) {
    String code = error.code();
    return code.equals("50429")
        || code.equals("50430")
        || code.equals("FlowLimitExceeded")
        || error.httpStatus() == 429;
  }

  /** The visual API's governor: VOLC_QPS and VOLC_CONCURRENCY as they are at each call. */
  static QuotaGovernor visual(
      VolcProperties properties,
      UpstreamLimits limits,
      @Nullable UpstreamBreaker breaker,
      SharedLimits shared) {
    return new QuotaGovernor(
        limits::visualQps,
        limits::visualConcurrency,
        properties.queryQps(),
        properties.maxRetries(),
        Duration.ofSeconds(1),
        breaker,
        shared,
        "visual");
  }

  /**
   * Ark's quota is its own and counted per minute (ARK_RPM, ARK_CONCURRENCY); it has no result
   * queries.
   */
  static QuotaGovernor ark(
      VolcProperties properties,
      UpstreamLimits limits,
      @Nullable UpstreamBreaker breaker,
      SharedLimits shared) {
    return new QuotaGovernor(
        () -> limits.arkRpm() / 60.0,
        limits::arkConcurrency,
        1,
        properties.maxRetries(),
        Duration.ofSeconds(1),
        breaker,
        shared,
        "ark");
  }

  /**
   * A call that starts generation work (CVProcess, submit, Ark): takes a concurrency slot, then
   * waits for its turn in the generation rate. In that order, so waiting for a slot never wastes a
   * turn. Inside a {@link #job}, which holds the slot already, it only waits for its turn.
   */
  <T> Mono<T> generation(Mono<T> call) {
    return Mono.deferContextual(
        context -> {
          long asked = System.nanoTime();
          Mono<T> inTurn =
              generations.inTurn(
                  sharedTurn(
                      "generations", generationsPerSecond, timed("generation", call, asked)));
          return admitted(context.hasKey(SLOT_HELD) ? inTurn : withSlot(inTurn));
        });
  }

  /**
   * An asynchronous job from its submit to its result: the account counts a job not yet done
   * against its concurrency (3P; the emulator's QuotaGate does the same), so the job holds one
   * slot, this JVM's and the account's across replicas, until its result is fetched or it fails,
   * and its submit takes only its turn. Without it every replica would submit while its earlier
   * jobs still ran, and the account answer 50430.
   */
  public <T> Mono<T> job(Mono<T> job) {
    return withSlot(job.contextWrite(context -> context.put(SLOT_HELD, true)));
  }

  private <T> Mono<T> withSlot(Mono<T> work) {
    return inFlight.limit(shared.withPermit(key("concurrency"), concurrency, work));
  }

  /** Generation calls in flight right now. */
  int generationsInFlight() {
    return inFlight.inFlight();
  }

  /** A result query: counts against the query QPS. */
  <T> Mono<T> query(Mono<T> call) {
    return Mono.defer(
        () -> {
          long asked = System.nanoTime();
          return admitted(
              queries.inTurn(
                  sharedTurn("queries", () -> queriesPerSecond, timed("query", call, asked))));
        });
  }

  /**
   * The call at the account's next turn across replicas (REDIS_URL), after this JVM's own turn;
   * without Redis, at once.
   */
  private <T> Mono<T> sharedTurn(String what, DoubleSupplier perSecond, Mono<T> call) {
    // A wider margin than this JVM's own spacer: a turn is taken on Redis's clock, and the calls of
    // two processes on a busy machine leave later than their turns by more than one process's do
    // (at 1.02 alone, one 50429 in about a hundred shared calls; SharedGovernorTests). 10 ms, not
    // more: every call pays it, and the arrivals measured in make bench never ate half of it.
    Duration interval =
        Duration.ofNanos(PermitSpacer.intervalNanos(perSecond.getAsDouble())).plusMillis(10);
    return shared.turn(key(what), interval).then(recorded(call));
  }

  private String key(String what) {
    return "volc-studio:governor:" + account + ":" + what;
  }

  private <T> Mono<T> recorded(Mono<T> call) {
    return breaker == null ? call : breaker.recorded(call);
  }

  /**
   * The call once the account's circuit is closed. A task waits at most until its deadline, then
   * fails with the outage's last failure.
   */
  private <T> Mono<T> admitted(Mono<T> call) {
    UpstreamBreaker circuit = breaker;
    if (circuit == null) {
      return call;
    }
    return Mono.deferContextual(
        context -> {
          if (context.hasKey(BYPASS)) {
            return call;
          }
          Mono<Void> admitted = circuit.admitted();
          Long deadline = context.getOrDefault(DEADLINE, null);
          if (deadline != null) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            admitted = admitted.timeout(left, Mono.error(circuit::lastFailure));
          }
          return admitted.then(call);
        });
  }
}
