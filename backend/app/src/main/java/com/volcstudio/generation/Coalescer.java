package com.volcstudio.generation;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.scheduler.Scheduler;

/**
 * Runs an action at most once per interval however often it is asked for, and always once more
 * after the last request, so the final state is never left unannounced: the first request of a
 * quiet spell runs at once, a burst becomes one run per interval. The action reads the current
 * state itself, so a request that arrives while it runs is covered by the next run.
 */
final class Coalescer {

  private final long intervalNanos;
  private final Runnable action;
  private final Scheduler scheduler;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile long lastRun;

  Coalescer(Duration interval, Scheduler scheduler, Runnable action) {
    this.intervalNanos = interval.toNanos();
    this.action = action;
    this.scheduler = scheduler;
    this.lastRun = scheduler.now(TimeUnit.NANOSECONDS) - intervalNanos;
  }

  void request() {
    if (scheduled.compareAndSet(false, true)) {
      long wait = Math.max(0, lastRun + intervalNanos - scheduler.now(TimeUnit.NANOSECONDS));
      scheduler.schedule(this::run, wait, TimeUnit.NANOSECONDS);
    }
  }

  private void run() {
    lastRun = scheduler.now(TimeUnit.NANOSECONDS);
    // Cleared before the action reads the state: a change from now on schedules another run.
    scheduled.set(false);
    action.run();
  }
}
