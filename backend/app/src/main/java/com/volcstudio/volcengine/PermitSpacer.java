package com.volcstudio.volcengine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import reactor.core.publisher.Mono;

/**
 * Hands out one turn every 1/qps seconds, each at least that long after the previous one. The
 * service counts a sliding one-second window; a fixed-window limiter (resilience4j's, Bucket4j's
 * refill) lets a call late in one window and two early in the next land inside one second, which
 * the service answers with 50429. Spacing never does. The 2 % margin absorbs ordinary jitter
 * between our clock and the arrival at the service. The first call after a quiet spell often opens
 * a connection and arrives later than the next one, so the turn after it gets an eighth of an
 * interval more (measured by make bench: without it, about one run in two drew a 50429 at the
 * start). The rate is read at every reservation, so a changed setting spaces the next turn; turns
 * already handed out keep their time.
 */
final class PermitSpacer {

  /** Below this the spacing would exceed a minute per call; the settings never go lower. */
  private static final double MIN_RATE = 0.01;

  private final DoubleSupplier perSecond;
  private final AtomicLong nextTurn = new AtomicLong(Long.MIN_VALUE);

  PermitSpacer(double perSecond) {
    this(() -> perSecond);
  }

  PermitSpacer(DoubleSupplier perSecond) {
    this.perSecond = perSecond;
  }

  private long intervalNanos() {
    return intervalNanos(perSecond.getAsDouble());
  }

  /** The spacing of {@code perSecond} calls a second, with 2 % to spare. */
  static long intervalNanos(double perSecond) {
    return (long) Math.ceil(1_000_000_000.0 / Math.max(MIN_RATE, perSecond) * 1.02);
  }

  /** Subscribes to {@code call} at its turn; waiting is a timer, no thread is held. */
  <T> Mono<T> inTurn(Mono<T> call) {
    return Mono.defer(
        () -> {
          long wait = reserve();
          return wait <= 0 ? call : Mono.delay(Duration.ofNanos(wait)).then(call);
        });
  }

  /** Nanoseconds until the turn just reserved. */
  long reserve() {
    long intervalNanos = intervalNanos();
    while (true) {
      long now = System.nanoTime();
      long previous = nextTurn.get();
      boolean quiet = previous == Long.MIN_VALUE || now >= previous;
      long turn = quiet ? now : previous;
      long following = turn + (quiet ? intervalNanos + intervalNanos / 8 : intervalNanos);
      if (nextTurn.compareAndSet(previous, following)) {
        return turn - now;
      }
    }
  }
}
