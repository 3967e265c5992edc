package com.volcstudio.generation;

import com.volcstudio.settings.SettingsChanged;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;

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
 */
@Component
class TaskDispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(TaskDispatcher.class);

  private final TaskQueue queue;
  private final TaskRepository tasks;
  private final TaskRunner runner;
  private final TaskConcurrency concurrency;
  private final Map<String, Disposable> running = new ConcurrentHashMap<>();

  /** Running tasks that still hold a slot: their upstream calls are not all done yet. */
  private final Set<String> calling = ConcurrentHashMap.newKeySet();

  private boolean started;

  TaskDispatcher(
      TaskQueue queue, TaskRepository tasks, TaskRunner runner, TaskConcurrency concurrency) {
    this.queue = queue;
    this.tasks = tasks;
    this.runner = runner;
    this.concurrency = concurrency;
  }

  void enqueue(Task task) {
    if (queue.add(task.id(), task.owner())) {
      drain();
    }
  }

  void pause() {
    queue.pause();
  }

  void resume() {
    queue.resume();
    drain();
  }

  int concurrency() {
    return concurrency.current();
  }

  int runningCount() {
    return running.size();
  }

  @EventListener(ApplicationReadyEvent.class)
  void resumeUnfinished() {
    tasks
        .findUnfinished()
        .doOnNext(task -> log.info("resuming task {} ({})", task.id(), task.status().wireName()))
        .subscribe(this::enqueue);
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
          runner
              .run(taskId, () -> callsDone(taskId))
              .doFinally(signal -> finished(taskId))
              .subscribe());
    }
  }

  /** The task's last upstream call returned; its images may still be being stored. */
  private void callsDone(String taskId) {
    if (calling.remove(taskId)) {
      drain();
    }
  }

  private void finished(String taskId) {
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
    running.values().forEach(Disposable::dispose);
    running.clear();
    calling.clear();
  }

  @Override
  public synchronized boolean isRunning() {
    return started;
  }
}
