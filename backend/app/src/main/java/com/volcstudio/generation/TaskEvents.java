package com.volcstudio.generation;

import com.volcstudio.image.StoredImage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/**
 * One hot stream of task events, fanned out to every SSE subscriber, with the most recent events
 * kept for clients that reconnect. Events are published only after the change they describe is
 * committed, and are built from the database, not from memory.
 */
@Component
class TaskEvents {

  /** Enough for a reconnect after a short network drop; a longer gap gets a resync instead. */
  static final int REPLAY_CAPACITY = 2048;

  private final Sinks.Many<TaskEvent> sink = Sinks.many().multicast().directBestEffort();
  private final Deque<TaskEvent> recent = new ArrayDeque<>();

  /**
   * Starts from the clock, so ids keep growing across restarts and an old Last-Event-ID is never
   * "ahead".
   */
  private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);

  private final TaskReader reader;
  private final JsonMapper json;

  TaskEvents(TaskReader reader, JsonMapper json) {
    this.reader = reader;
    this.json = json;
  }

  Mono<Void> publish(String type, String taskId) {
    return reader
        .ownedView(taskId)
        .doOnNext(owned -> emit(type, owned.view(), owned.owner()))
        .then();
  }

  /**
   * Announces a task read earlier: for a deletion, whose row is gone by the time it is announced.
   */
  void publish(String type, Task task, List<StoredImage> stored) {
    emit(type, TaskView.of(task, stored), task.owner());
  }

  /**
   * An event about something other than one task (the queue, usage): {@code data} is sent as it is.
   */
  void announce(String type, Object data) {
    emitSerialized(type, null, json.writeValueAsString(data), null);
  }

  /**
   * The data is written as JSON once here, not once per subscriber by the SSE writer: with 2,000
   * clients on the stream that is 2,000 serializations of the same task saved per event.
   */
  private void emit(String type, TaskView view, String owner) {
    emitSerialized(type, view, json.writeValueAsString(view), owner);
  }

  /**
   * Id assignment, buffering and emission under one lock, so every subscriber sees ids in order.
   */
  private synchronized void emitSerialized(
      String type, @Nullable TaskView view, String data, @Nullable String owner) {
    TaskEvent event = new TaskEvent(sequence.incrementAndGet(), type, view, data, owner);
    recent.addLast(event);
    if (recent.size() > REPLAY_CAPACITY) {
      recent.removeFirst();
    }
    // Runner threads emit concurrently; busy-looping resolves the sink's brief contention instead
    // of failing.
    sink.emitNext(event, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(200)));
  }

  /** Live events only. */
  Flux<TaskEvent> live() {
    return sink.asFlux();
  }

  Flux<TaskEvent> forTask(String taskId) {
    return live().filter(e -> e.task() != null && e.task().taskId().equals(taskId));
  }

  /**
   * Every event after {@code lastEventId} that is still buffered, then live ones, without a gap or
   * a duplicate: live events are listened to before the buffer is read.
   */
  Flux<TaskEvent> since(long lastEventId) {
    return Flux.defer(
        () -> {
          var listening = live().replay(REPLAY_CAPACITY);
          var connection = listening.connect();
          List<TaskEvent> missed = buffered(lastEventId);
          long lastReplayed = missed.isEmpty() ? lastEventId : missed.get(missed.size() - 1).id();
          return Flux.fromIterable(missed)
              .concatWith(listening.filter(e -> e.id() > lastReplayed))
              .doFinally(signal -> connection.dispose());
        });
  }

  /**
   * Whether events after {@code lastEventId} were already dropped from the buffer (the client must
   * resync).
   */
  synchronized boolean gapAfter(long lastEventId) {
    return !recent.isEmpty()
        && recent.peekFirst().id() > lastEventId + 1
        && lastEventId < sequence.get();
  }

  private synchronized List<TaskEvent> buffered(long lastEventId) {
    return recent.stream().filter(e -> e.id() > lastEventId).toList();
  }
}
