package com.volcstudio.emulator;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The async tasks the emulated service holds. Ids are 19-digit strings like the docs' examples
 * ({@code "7392616336519610409"}, §3.1), increasing, never reused within a run. A task older than
 * twice its lifetime is forgotten (then {@code not_found}); a cancelled task is forgotten at once.
 */
final class AsyncTasks {

  private final Map<String, AsyncTask> tasks = new ConcurrentHashMap<>();
  private final AtomicLong nextId =
      new AtomicLong(
          7_300_000_000_000_000_000L
              + ThreadLocalRandom.current().nextLong(100_000_000_000_000_000L));
  private final Clock clock;
  private final Duration lifetime;

  AsyncTasks(Clock clock, Duration lifetime) {
    this.clock = clock;
    this.lifetime = lifetime;
  }

  AsyncTask submit(
      Generation generation,
      Duration generationTime,
      Function<Generation, Mono<List<byte[]>>> render) {
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

  boolean cancel(String id) {
    return find(id).map(task -> tasks.remove(id) != null).orElse(false);
  }
}
