package com.volcstudio.generation;

import com.volcstudio.config.StudioProperties;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/**
 * The in-process queue in front of {@link TaskRunner}. The database is the queue's memory: at start-up
 * every task a previous run left pending or running is enqueued again, so nothing submitted is lost.
 */
@Component
class TaskDispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(TaskDispatcher.class);

  private final Sinks.Many<String> queue = Sinks.many().unicast().onBackpressureBuffer();
  /** Ids queued or running, so a task resumed at start-up and submitted at the same moment runs once. */
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final TaskRepository tasks;
  private final TaskRunner runner;
  private final int concurrency;
  private volatile @Nullable Disposable worker;

  TaskDispatcher(TaskRepository tasks, TaskRunner runner, StudioProperties properties) {
    this.tasks = tasks;
    this.runner = runner;
    this.concurrency = Math.max(1, properties.maxConcurrentTasks());
  }

  void enqueue(String taskId) {
    if (queued.add(taskId)) {
      queue.emitNext(taskId, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(200)));
    }
  }

  @EventListener(ApplicationReadyEvent.class)
  void resumeUnfinished() {
    tasks.findUnfinished().doOnNext(task -> log.info("resuming task {} ({})", task.id(), task.status().wireName()))
        .subscribe(task -> enqueue(task.id()));
  }

  @Override
  public void start() {
    worker = queue.asFlux()
        .flatMap(id -> runner.run(id).doFinally(signal -> queued.remove(id)), concurrency)
        .subscribe();
  }

  /** Stops taking work; tasks cut short stay running in the database and resume at the next start. */
  @Override
  public void stop() {
    Disposable current = worker;
    if (current != null) {
      current.dispose();
    }
    worker = null;
  }

  @Override
  public boolean isRunning() {
    return worker != null;
  }
}
