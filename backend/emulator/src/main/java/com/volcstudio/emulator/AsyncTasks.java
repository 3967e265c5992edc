package com.volcstudio.emulator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The async tasks the emulated service holds. Ids are 19-digit strings like the docs' examples
 * ({@code "7392616336519610409"}, §3.1), increasing, never reused. A task older than twice its
 * lifetime is forgotten (then {@code not_found}); a cancelled task is forgotten at once. With a
 * state folder the tasks are journalled there and outlive a restart, as the real service's do.
 */
final class AsyncTasks {

  private final Map<String, AsyncTask> tasks = new ConcurrentHashMap<>();
  private final AtomicLong nextId;
  private final Clock clock;
  private final Duration lifetime;
  private final Function<Generation, Mono<List<byte[]>>> render;
  private final @Nullable TaskJournal journal;

  AsyncTasks(
      Clock clock,
      Duration lifetime,
      Function<Generation, Mono<List<byte[]>>> render,
      @Nullable Path stateDir) {
    this.clock = clock;
    this.lifetime = lifetime;
    this.render = render;
    this.journal = stateDir == null ? null : new TaskJournal(stateDir);
    long first =
        7_300_000_000_000_000_000L + ThreadLocalRandom.current().nextLong(100_000_000_000_000_000L);
    if (journal != null) {
      for (AsyncTask task :
          journal.load(task -> status(task) != AsyncTask.Status.NOT_FOUND, render)) {
        tasks.put(task.id(), task);
        first = Math.max(first, Long.parseLong(task.id()));
      }
    }
    this.nextId = new AtomicLong(first);
  }

  /** Holds a new task; it is known to GetResult at once, and durable once {@link #keep} is done. */
  AsyncTask submit(Generation generation, Duration generationTime) {
    String id = Long.toString(nextId.addAndGet(1 + ThreadLocalRandom.current().nextInt(1000)));
    AsyncTask task =
        new AsyncTask(
            id,
            generation,
            clock.instant(),
            generationTime,
            Mono.defer(() -> render.apply(generation)).cache());
    tasks.put(id, task);
    return task;
  }

  /**
   * Writes the task down before its id is answered, so an accepted task is never lost; a file write
   * blocks, so it runs on boundedElastic.
   */
  Mono<Void> keep(AsyncTask task) {
    TaskJournal to = journal;
    return to == null
        ? Mono.empty()
        : Mono.fromRunnable(() -> to.append(task)).subscribeOn(Schedulers.boundedElastic()).then();
  }

  Optional<AsyncTask> find(String id) {
    AsyncTask task = tasks.get(id);
    if (task != null && status(task) == AsyncTask.Status.NOT_FOUND) {
      tasks.remove(id);
      return Optional.empty();
    }
    return Optional.ofNullable(task);
  }

  AsyncTask.Status status(AsyncTask task) {
    return task.status(clock.instant(), lifetime);
  }

  /** Tasks that still occupy a concurrency slot. */
  int unfinished() {
    int count = 0;
    for (AsyncTask task : tasks.values()) {
      if (status(task).unfinished()) {
        count++;
      }
    }
    return count;
  }

  /** Forgets the task; emits whether it was held. The journal is written off the event loop. */
  Mono<Boolean> cancel(String id) {
    boolean held = find(id).map(task -> tasks.remove(id) != null).orElse(false);
    TaskJournal to = journal;
    if (!held || to == null) {
      return Mono.just(held);
    }
    return Mono.fromRunnable(() -> to.forget(id))
        .subscribeOn(Schedulers.boundedElastic())
        .thenReturn(true);
  }
}
