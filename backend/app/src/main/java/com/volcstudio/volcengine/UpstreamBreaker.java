package com.volcstudio.volcengine;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Waits out an outage of one provider account instead of spending the queue on it: after {@code
 * VOLC_OUTAGE_AFTER} outage failures within ten seconds without a single answer between them (5xx,
 * timeouts, refused connections, bodies that are not JSON; quota answers and refusals of a request
 * are answers) the circuit opens, and calls wait (without a thread) instead of going out. One cheap
 * probe, a result query for a task that cannot exist, goes out after {@code VOLC_OUTAGE_PROBE},
 * then at doubling intervals up to a minute; the first answer of any kind closes the circuit and
 * the waiting calls go on by themselves.
 *
 * <p>resilience4j's circuit breaker counts the failures (a count-based window that opens when all
 * of its calls failed), keeps the state and publishes it as {@code
 * resilience4j_circuitbreaker_state}. Its own half-open state would let real calls through as
 * probes; generation calls may cost money, so the breaker stays open until this class's probe has
 * an answer and closes it by hand.
 */
public final class UpstreamBreaker {

  private static final Logger log = LoggerFactory.getLogger(UpstreamBreaker.class);
  private static final Duration MAX_PROBE_INTERVAL = Duration.ofSeconds(60);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
  static final Duration WINDOW = Duration.ofSeconds(10);

  /** An open circuit: since when, and when the next probe goes out. */
  public record Outage(String provider, Instant since, Instant nextCheckAt) {}

  private final String provider;
  private final CircuitBreaker breaker;
  private final Duration firstProbe;
  private final Clock clock;
  private volatile Supplier<Mono<?>> probe = Mono::empty;
  private volatile Runnable listener = () -> {};
  private volatile Sinks.Empty<Void> closed = closedSink();
  private volatile @Nullable Outage outage;
  private volatile Disposable probing = () -> {};
  private volatile @Nullable Throwable lastFailure;

  /** One thread that counts outcomes and runs the probes' answers, so none of it locks a loop. */
  private final ExecutorService recorder;

  UpstreamBreaker(
      String provider,
      CircuitBreakerRegistry registry,
      int failures,
      Duration firstProbe,
      Clock clock) {
    this.provider = provider;
    this.firstProbe = firstProbe;
    this.clock = clock;
    this.recorder =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "upstream-breaker-" + provider);
              thread.setDaemon(true);
              return thread;
            });
    this.breaker = registry.circuitBreaker(provider, config(failures));
    breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                opened();
              }
            });
  }

  static CircuitBreakerConfig config(int failures) {
    return CircuitBreakerConfig.custom()
        // At least that many failures in the last WINDOW and not one answer among them: an outage
        // opens it within seconds; a storm, however many of its calls fail, answers some of them
        // every few seconds and never does (measured: with a count-based window of ten calls the
        // storm suite's 45 % of failures opened it now and then).
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
        .slidingWindowSize((int) WINDOW.toSeconds())
        .minimumNumberOfCalls(failures)
        .failureRateThreshold(100)
        // Anything else, a quota answer or a refusal of the request included, is an answer.
        .recordException(UpstreamBreaker::isOutage)
        // Closed by the probe only (see the class comment).
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .waitDurationInOpenState(Duration.ofDays(365))
        .build();
  }

  /**
   * The call that tells whether the service answers again, and costs nothing. An empty Mono (no
   * connection configured) counts as an answer.
   */
  public void probeWith(Supplier<Mono<?>> probe) {
    this.probe = probe;
  }

  /** Told whenever the circuit opens or closes, or the next probe is rescheduled. */
  public void onChange(Runnable listener) {
    this.listener = listener;
  }

  /** The outage now, if the circuit is open. */
  public Optional<Outage> outage() {
    return Optional.ofNullable(outage);
  }

  /** resilience4j's view, for tests and metrics. */
  public CircuitBreaker.State state() {
    return breaker.getState();
  }

  /**
   * Completes at once while the circuit is closed; while it is open, once it closes again. Taken
   * before a concurrency slot, so a waiting call holds nothing.
   */
  Mono<Void> admitted() {
    return Mono.defer(() -> outage == null ? Mono.empty() : closed.asMono());
  }

  /**
   * The call, its outcome counted. Counted on the breaker's own thread, not the event loop that
   * delivers the answer: resilience4j's time window takes a lock (BlockHound in the storm suite
   * caught an event-loop thread parked on it), and the state changes it may trigger (a probe
   * scheduled, listeners told) have no place there either.
   */
  <T> Mono<T> recorded(Mono<T> call) {
    return Mono.defer(
        () -> {
          long started = System.nanoTime();
          return call.doOnSuccess(
                  v -> {
                    long took = elapsed(started);
                    recorder.execute(() -> breaker.onSuccess(took, TimeUnit.NANOSECONDS));
                  })
              .doOnError(
                  e -> {
                    long took = elapsed(started);
                    if (isOutage(e)) {
                      lastFailure = e;
                    }
                    recorder.execute(() -> breaker.onError(took, TimeUnit.NANOSECONDS, e));
                  });
        });
  }

  /** What a call waiting out the outage fails with at its task's deadline. */
  Throwable lastFailure() {
    Throwable last = lastFailure;
    return last != null
        ? last
        : new VolcApiException(
            VolcErrorCodes.describe("UPSTREAM_UNREACHABLE", "the service did not answer", 0));
  }

  /** Waits until every outcome reported so far is counted (tests). */
  void awaitCounted() throws Exception {
    recorder.submit(() -> {}).get(5, TimeUnit.SECONDS);
  }

  /** Closes the circuit now (new keys or endpoint: a different account to judge). */
  public void reset() {
    if (outage != null) {
      close("reset");
    }
  }

  private static long elapsed(long started) {
    return System.nanoTime() - started;
  }

  private synchronized void opened() {
    if (outage != null) {
      return;
    }
    closed = Sinks.empty();
    outage = new Outage(provider, clock.instant(), clock.instant().plus(firstProbe));
    log.warn(
        "{}: no answer from the service after repeated tries; new calls wait, next check in {} s",
        provider,
        firstProbe.toSeconds());
    scheduleProbe(firstProbe);
    listener.run();
  }

  private synchronized void scheduleProbe(Duration wait) {
    Outage current = outage;
    if (current == null) {
      return;
    }
    outage = new Outage(provider, current.since(), clock.instant().plus(wait));
    probing =
        Mono.delay(wait)
            .then(Mono.defer(probe).timeout(PROBE_TIMEOUT).then())
            .contextWrite(QuotaGovernor.bypassingBreaker())
            .publishOn(Schedulers.fromExecutor(recorder))
            .subscribe(
                null,
                e -> {
                  if (isOutage(e) || e instanceof TimeoutException) {
                    log.info(
                        "{}: still no answer ({}); next check in {} s",
                        provider,
                        code(e),
                        next(wait).toSeconds());
                    scheduleProbe(next(wait));
                    listener.run();
                  } else {
                    close("answered " + code(e));
                  }
                },
                () -> close("answered"));
  }

  private static Duration next(Duration wait) {
    Duration doubled = wait.multipliedBy(2);
    return doubled.compareTo(MAX_PROBE_INTERVAL) > 0 ? MAX_PROBE_INTERVAL : doubled;
  }

  private synchronized void close(String why) {
    if (outage == null) {
      return;
    }
    probing.dispose();
    outage = null;
    breaker.transitionToClosedState();
    log.warn("{}: the service answers again ({}); waiting calls go on", provider, why);
    closed.tryEmitEmpty();
    listener.run();
  }

  private static Sinks.Empty<Void> closedSink() {
    Sinks.Empty<Void> sink = Sinks.empty();
    sink.tryEmitEmpty();
    return sink;
  }

  private static String code(Throwable e) {
    return e instanceof VolcApiException api ? api.error().code() : e.getClass().getSimpleName();
  }

  /** A failure that says the service is not there: worth waiting out, not worth a task. */
  static boolean isOutage(Throwable e) {
    return e instanceof VolcApiException api
        && api.error().retry() == UpstreamError.Retry.UNBILLED
        && !isQuota(e);
  }

  /** A refusal for the account's rate or concurrency: the service is there. */
  static boolean isQuota(Throwable e) {
    return e instanceof VolcApiException api && QuotaGovernor.isQuota(api.error());
  }
}
