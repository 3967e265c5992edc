package com.volcstudio.generation;

import com.volcstudio.coordination.Broadcasts;
import com.volcstudio.settings.SettingsChanged;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Starts queued tasks while there is a free slot ({@code MAX_CONCURRENT_TASKS}, read from the
 * runtime settings each time, so a change applies without a restart) and the queue is not paused.
 * Lowering it stops no running task; fewer start until the running ones are below the new figure.
 *
 * <p>A task holds its slot while it still has upstream calls to make, not while its last image is
 * stored: the account's concurrency (ARK_CONCURRENCY, VOLC_CONCURRENCY) is what the slots ration,
 * so the next task's call starts as soon as one returns, and storing overlaps it. The database is
 * the queue's memory: at start-up every task a previous run left pending or running is queued
 * again, so nothing submitted is lost.
 *
 * <p>A task runs only once this process has claimed it ({@link TaskClaims}). With the H2 file that
 * is a formality (one process); on a PostgreSQL database shared by replicas (issue 18) it is what
 * keeps two from running one task: each replica renews the claims of the tasks it runs, looks every
 * {@code TASK_CLAIM_POLL} for tasks nobody holds (submitted elsewhere, or left by a replica that
 * died and stopped renewing) and queues them, and drops a task whose claim another took.
 */
@Component
class TaskDispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(TaskDispatcher.class);

  private final TaskQueue queue;
  private final TaskRepository tasks;
  private final TaskRunner runner;
  private final TaskConcurrency concurrency;
  private final TaskClaims claims;
  private final TaskCancellations cancellations;
  private final ClaimProperties claimProperties;
  private final Broadcasts broadcasts;
  private final QueuePause pause;

  /** Pauses and resumes applied here so far, to tell a stale reading of the stored pause. */
  private final AtomicLong pauseChanges = new AtomicLong();

  private final Map<String, Disposable> running = new ConcurrentHashMap<>();

  private static final String CANCELLED = "studio.task.cancelled";
  private static final String PAUSED = "studio.queue.paused";
  private static final String MOVED = "studio.queue.moved";

  /** The fence each running task was claimed under (absent while its claim is being asked for). */
  private final Map<String, Long> fences = new ConcurrentHashMap<>();

  /** Renewing claims and looking for claimable tasks, on a shared database. */
  private final Disposable.Composite watches = Disposables.composite();

  /** Running tasks that still hold a slot: their upstream calls are not all done yet. */
  private final Set<String> calling = ConcurrentHashMap.newKeySet();

  private boolean started;

  TaskDispatcher(
      TaskQueue queue,
      TaskRepository tasks,
      TaskRunner runner,
      TaskConcurrency concurrency,
      TaskClaims claims,
      TaskCancellations cancellations,
      ClaimProperties claimProperties,
      Broadcasts broadcasts,
      QueuePause pause) {
    this.broadcasts = broadcasts;
    this.pause = pause;
    // Held until the stored pause is read at start-up: a replica started while the others are
    // paused must not start a task submitted to it in the meantime.
    queue.pause();
    this.claims = claims;
    this.cancellations = cancellations;
    this.claimProperties = claimProperties;
    this.queue = queue;
    this.tasks = tasks;
    this.runner = runner;
    this.concurrency = concurrency;
    listenToOtherReplicas();
  }

  void enqueue(Task task) {
    enqueue(task.id(), task.owner());
  }

  private void enqueue(String taskId, String owner) {
    if (queue.add(taskId, owner)) {
      drain();
    }
  }

  /** Nothing more starts: stored, then applied here and told to the other replicas. */
  Mono<Void> pause() {
    return pause.set(true).then(Mono.fromRunnable(() -> paused(true, true)));
  }

  Mono<Void> resume() {
    return pause.set(false).then(Mono.fromRunnable(() -> paused(false, true)));
  }

  private void paused(boolean paused, boolean tellOthers) {
    pauseChanges.incrementAndGet();
    if (paused) {
      queue.pause();
    } else {
      queue.resume();
    }
    if (tellOthers) {
      broadcasts.publish(PAUSED, Boolean.toString(paused));
    }
    if (!paused) {
      drain();
    }
  }

  /**
   * The stored pause applied here: at start-up, and on every look for work of a replica (one
   * started after a pause, or one that missed its broadcast, must not start what the others hold
   * back). A reading that a pause or resume overtook is dropped: it may be older than that change.
   */
  private Mono<Void> followStoredPause() {
    return Mono.defer(
        () -> {
          long changes = pauseChanges.get();
          return pause
              .paused()
              .doOnNext(
                  paused -> {
                    if (pauseChanges.get() == changes && paused != queue.paused()) {
                      paused(paused, false);
                    }
                  })
              .then();
        });
  }

  /** A task was cancelled: it stops waiting, or running, here and on every other replica. */
  void cancelled(String taskId) {
    stopHere(taskId);
    broadcasts.publish(CANCELLED, taskId);
  }

  private void stopHere(String taskId) {
    queue.remove(taskId);
    cancellations.cancel(taskId);
  }

  /** {@link TaskQueue#moveToFront}, here and in every other replica's copy of the queue. */
  boolean moveToFront(String taskId, boolean nextTurn) {
    boolean moved = queue.moveToFront(taskId, nextTurn);
    if (moved) {
      broadcasts.publish(MOVED, taskId + " " + nextTurn);
    }
    return moved;
  }

  /** What other replicas sharing REDIS_URL say of the queue (nothing arrives without it). */
  private void listenToOtherReplicas() {
    broadcasts.listen(CANCELLED, this::stopHere);
    broadcasts.listen(PAUSED, paused -> paused(Boolean.parseBoolean(paused), false));
    broadcasts.listen(
        MOVED,
        move -> {
          String[] parts = move.split(" ", 2);
          if (parts.length == 2) {
            queue.moveToFront(parts[0], Boolean.parseBoolean(parts[1]));
          }
        });
  }

  int concurrency() {
    return concurrency.current();
  }

  int runningCount() {
    return running.size();
  }

  /**
   * Tasks running now: this process's, or on a shared database every replica's (counted there),
   * which is what the queue's badge shows whichever replica a page is connected to.
   */
  Mono<Integer> running() {
    return claims.shared() ? claims.runningCount() : Mono.just(runningCount());
  }

  /** Whether other replicas may run tasks too (a shared database). */
  boolean shared() {
    return claims.shared();
  }

  @EventListener(ApplicationReadyEvent.class)
  void resumeUnfinished() {
    if (claims.shared()) {
      log.info(
          "tasks are claimed as {} in the shared database (lease {}, looking for work every {})",
          claims.holder(),
          claimProperties.lease(),
          claimProperties.poll());
      // The first look for work reads the stored pause, and releases the queue if it is not.
      watch(claimProperties.poll(), Duration.ZERO, this::lookForWork);
      Duration renewal = claimProperties.lease().dividedBy(3);
      watch(renewal, renewal, this::renewClaims);
      return;
    }
    followStoredPause()
        .onErrorResume(
            e -> {
              log.warn("the stored pause could not be read; the queue runs: {}", e.toString());
              paused(false, false);
              return Mono.empty();
            })
        .then(claims.releaseEarlierRuns())
        .thenMany(tasks.findUnfinished())
        .doOnNext(task -> log.info("resuming task {} ({})", task.id(), task.status().wireName()))
        .subscribe(this::enqueue);
  }

  /** Runs {@code work} every {@code period}; a failed round is logged and the next one comes. */
  private void watch(
      Duration period, Duration first, java.util.function.Supplier<Mono<Void>> work) {
    watches.add(
        Flux.interval(first, period)
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    work.get()
                        .onErrorResume(
                            e -> {
                              log.warn("task claims: {}", e.toString());
                              return Mono.empty();
                            }))
            .subscribe());
  }

  /**
   * Queues the tasks nobody holds, and forgets waiting ones another replica claimed (or that ended)
   * meanwhile, so the queue's positions stay true.
   */
  private Mono<Void> lookForWork() {
    Set<String> waitingBefore = new HashSet<>(queue.waitingIds());
    return followStoredPause()
        .thenMany(claims.claimable())
        .doOnNext(found -> waitingBefore.remove(found.taskId()))
        .doOnNext(found -> enqueue(found.taskId(), found.owner()))
        .then(Mono.fromRunnable(() -> waitingBefore.forEach(queue::remove)));
  }

  /**
   * Extends the claims of the tasks running here; a task cancelled on another replica stops here
   * (should the cancel's message have been missed), and one another replica claimed ends here
   * without a word: its run goes on there.
   */
  private Mono<Void> renewClaims() {
    List<String> mine = List.copyOf(fences.keySet());
    return claims
        .renew(mine)
        .thenMany(claims.check(mine))
        .doOnNext(
            held -> {
              if (held.cancelled()) {
                cancellations.cancel(held.taskId());
              } else if (held.lost()) {
                lost(held.taskId());
              }
            })
        .then();
  }

  private void lost(String taskId) {
    Disposable run = running.get(taskId);
    if (run != null && fences.containsKey(taskId)) {
      log.warn("task {}: another process claimed it; it stops here", taskId);
      run.dispose();
      finished(taskId);
    }
  }

  /**
   * A raised MAX_CONCURRENT_TASKS starts waiting tasks now rather than when the next one finishes.
   */
  @EventListener(SettingsChanged.class)
  void settingsChanged() {
    drain();
  }

  /** Starts as many waiting tasks as there are free slots. */
  private synchronized void drain() {
    while (started && calling.size() < concurrency()) {
      var next = queue.next();
      if (next.isEmpty()) {
        return;
      }
      String taskId = next.get();
      // Registered before subscribing, so a task that finishes at once still finds itself to
      // remove.
      Disposable.Swap slot = Disposables.swap();
      running.put(taskId, slot);
      calling.add(taskId);
      slot.update(
          claims
              .claim(taskId)
              .flatMap(
                  fence -> {
                    fences.put(taskId, fence);
                    return runner.run(taskId, fence, () -> callsDone(taskId));
                  })
              .doFinally(signal -> finished(taskId))
              .subscribe(
                  done -> {},
                  e -> log.warn("task {} could not be started: {}", taskId, e.toString())));
    }
  }

  /** The task's last upstream call returned; its images may still be being stored. */
  private void callsDone(String taskId) {
    if (calling.remove(taskId)) {
      drain();
    }
  }

  private void finished(String taskId) {
    fences.remove(taskId);
    running.remove(taskId);
    calling.remove(taskId);
    queue.finished(taskId);
    drain();
  }

  @Override
  public synchronized void start() {
    started = true;
    drain();
  }

  /**
   * Stops taking work; tasks cut short stay running in the database and resume at the next start.
   */
  @Override
  public synchronized void stop() {
    started = false;
    watches.dispose();
    List<String> claimed = List.copyOf(fences.keySet());
    running.values().forEach(Disposable::dispose);
    running.clear();
    calling.clear();
    fences.clear();
    // Handed back at once, so that another replica need not wait for the lease to run out. This
    // is the shutdown thread, not an event loop: it may wait, a little.
    try {
      Long released = claims.release(claimed).block(Duration.ofSeconds(5));
      if (released != null && released > 0) {
        log.info("{} task(s) handed back for another process to go on with", released);
      }
    } catch (RuntimeException e) {
      log.warn("claims could not be handed back; they are free when their lease runs out: {}", e);
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return started;
  }
}
