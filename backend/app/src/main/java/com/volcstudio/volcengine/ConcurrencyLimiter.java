package com.volcstudio.volcengine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import reactor.core.publisher.Mono;

/**
 * At most {@code limit} calls in flight; the others wait (as a queued callback, no thread held) for
 * one to end. The limit is read at every acquisition, so lowering or raising it applies to the next
 * call. The service answers a call above its concurrency quota with 50430 instead of queueing it.
 */
final class ConcurrencyLimiter {

  private final IntSupplier limit;
  private final Deque<Runnable> waiting = new ArrayDeque<>();
  private int inFlight;

  ConcurrencyLimiter(IntSupplier limit) {
    this.limit = limit;
  }

  /**
   * Subscribes to {@code call} once a slot is free and frees it when the call ends, however it
   * ends.
   */
  <T> Mono<T> limit(Mono<T> call) {
    return Mono.usingWhen(
        acquire(),
        permit -> call,
        Permit::release,
        (permit, error) -> permit.release(),
        Permit::release);
  }

  synchronized int inFlight() {
    return inFlight;
  }

  private Mono<Permit> acquire() {
    return Mono.create(
        sink -> {
          Permit permit = new Permit();
          Runnable grant = () -> sink.success(permit);
          // Cancelled while waiting: leave the queue. Cancelled just after being granted: hand the
          // slot back.
          sink.onCancel(
              () -> {
                if (!dequeue(grant)) {
                  permit.release().subscribe();
                }
              });
          boolean now;
          synchronized (this) {
            now = inFlight < max();
            if (now) {
              inFlight++;
            } else {
              waiting.addLast(grant);
            }
          }
          if (now) {
            grant.run();
          }
        });
  }

  private synchronized boolean dequeue(Runnable grant) {
    return waiting.remove(grant);
  }

  private int max() {
    return Math.max(1, limit.getAsInt());
  }

  private void released() {
    List<Runnable> granted = new ArrayList<>();
    synchronized (this) {
      inFlight--;
      while (inFlight < max() && !waiting.isEmpty()) {
        inFlight++;
        granted.add(waiting.pollFirst());
      }
    }
    // Outside the lock: a granted call may start right here and acquire again.
    granted.forEach(Runnable::run);
  }

  /** One slot; releasing twice (cancel racing completion) frees it once. */
  private final class Permit {
    private final AtomicBoolean held = new AtomicBoolean(true);

    Mono<Void> release() {
      return Mono.fromRunnable(
          () -> {
            if (held.compareAndSet(true, false)) {
              released();
            }
          });
    }
  }
}
