package com.volcstudio.emulator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The account's limits (docs/volcengine/PROTOCOL.md §3.3 "Default quotas", §5.1): requests per
 * second per action family (50429), and images generating at once (50430).
 *
 * <p>Concurrency counts synchronous calls in flight <em>and</em> async tasks submitted but not yet
 * done: both occupy the account's generation capacity, which is what the real limit protects. A
 * task frees its slot when it is done, cancelled or expired, whether or not anyone fetched the
 * result. Ark is a separate product with its own RPM limits (§6.5), so it has a QPS family but
 * takes no slot.
 */
final class QuotaGate {

  enum Family {
    CV_PROCESS,
    SUBMIT,
    QUERY,
    CANCEL,
    ARK
  }

  private final Map<Family, Integer> qps = new EnumMap<>(Family.class);
  private final Map<Family, Deque<Instant>> recent = new EnumMap<>(Family.class);
  private final int concurrency;
  private final Clock clock;
  private int callsInFlight;

  QuotaGate(EmulatorSettings.Quotas quotas, Clock clock) {
    qps.put(Family.CV_PROCESS, quotas.cvProcessQps());
    qps.put(Family.SUBMIT, quotas.submitQps());
    qps.put(Family.QUERY, quotas.queryQps());
    qps.put(Family.CANCEL, quotas.cancelQps());
    qps.put(Family.ARK, quotas.arkQps());
    for (Family family : Family.values()) {
      recent.put(family, new ArrayDeque<>());
    }
    this.concurrency = quotas.concurrency();
    this.clock = clock;
  }

  /**
   * Counts a request against its family's sliding one-second window; false when the window is full.
   */
  synchronized boolean admitRequest(Family family) {
    int limit = qps.get(family);
    if (limit <= 0) {
      return true;
    }
    Instant now = clock.instant();
    Deque<Instant> window = recent.get(family);
    while (!window.isEmpty() && !window.peekFirst().isAfter(now.minusSeconds(1))) {
      window.pollFirst();
    }
    if (window.size() >= limit) {
      return false;
    }
    window.addLast(now);
    return true;
  }

  /** Takes a slot for a synchronous call; release it with {@link #endCall()}. */
  synchronized boolean startCall(IntSupplier unfinishedTasks) {
    if (!hasRoom(unfinishedTasks)) {
      return false;
    }
    callsInFlight++;
    return true;
  }

  synchronized void endCall() {
    callsInFlight--;
  }

  /** Runs {@code submit} only if a slot is free, atomically with the check. */
  synchronized boolean submitIfRoom(IntSupplier unfinishedTasks, Runnable submit) {
    if (!hasRoom(unfinishedTasks)) {
      return false;
    }
    submit.run();
    return true;
  }

  private boolean hasRoom(IntSupplier unfinishedTasks) {
    return concurrency <= 0 || callsInFlight + unfinishedTasks.getAsInt() < concurrency;
  }
}
