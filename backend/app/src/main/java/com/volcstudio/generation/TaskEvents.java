package com.volcstudio.generation;

import com.volcstudio.coordination.SharedEventLog;
import com.volcstudio.image.StoredImage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.json.JsonMapper;

/**
 * One hot stream of task events, fanned out to every SSE subscriber, with the most recent events
 * kept for clients that reconnect. Events are published only after the change they describe is
 * committed, and are built from the database, not from memory.
 *
 * <p>With REDIS_URL (several replicas, issue 18) a task's event is appended to the {@link
 * SharedEventLog} instead, and every replica, this one too, takes the events from there into its
 * stream and buffer: each subscriber sees every replica's events in one order under the log's ids,
 * so a client resumes with {@code Last-Event-ID} on any replica. Should Redis fail, the event still
 * reaches this replica's subscribers, without an id. The queue and usage summaries describe the
 * replica that sends them and stay local (without an id: a reconnect gets the next one).
 */
@Component
class TaskEvents implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(TaskEvents.class);

  /** Enough for a reconnect after a short network drop; a longer gap gets a resync instead. */
  static final int REPLAY_CAPACITY = 2048;

  private final Sinks.Many<TaskEvent> sink = Sinks.many().multicast().directBestEffort();
  private final Deque<TaskEvent> recent = new ArrayDeque<>();

  /**
   * Starts from the clock, so ids keep growing across restarts and an old Last-Event-ID is never
   * "ahead".
   */
  private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);

  /**
   * With the shared log: a client whose last event is older than this may have missed some (they
   * were before this replica's backlog, or have left its buffer).
   */
  private long sharedFloor;

  private final TaskReader reader;
  private final JsonMapper json;
  private final SharedEventLog shared;
  private boolean followedAny;
  private volatile @Nullable Disposable following;
  private volatile boolean running;

  TaskEvents(TaskReader reader, JsonMapper json, SharedEventLog shared) {
    this.reader = reader;
    this.json = json;
    this.shared = shared;
  }

  Mono<Void> publish(String type, String taskId) {
    return reader
        .ownedView(taskId)
        .flatMap(owned -> emit(type, owned.view(), owned.owner()))
        .then();
  }

  /**
   * Announces a task read earlier: for a deletion, whose row is gone by the time it is announced.
   */
  Mono<Void> publish(String type, Task task, List<StoredImage> stored) {
    return emit(type, TaskView.of(task, stored), task.owner());
  }

  /**
   * An event about something other than one task (the queue, usage): {@code data} is sent as it is.
   */
  void announce(String type, Object data) {
    String serialized = json.writeValueAsString(data);
    if (shared.shared()) {
      deliver(new TaskEvent(0, type, null, false, serialized, null));
    } else {
      emitSerialized(type, null, false, serialized, null);
    }
  }

  /**
   * The data is written as JSON once here, not once per subscriber by the SSE writer: with 2,000
   * clients on the stream that is 2,000 serializations of the same task saved per event.
   */
  private Mono<Void> emit(String type, TaskView view, String owner) {
    String data = json.writeValueAsString(view);
    boolean ended = view.status().terminal();
    if (!shared.shared()) {
      emitSerialized(type, view.taskId(), ended, data, owner);
      return Mono.empty();
    }
    Map<String, String> fields = new HashMap<>();
    fields.put("type", type);
    fields.put("task", view.taskId());
    fields.put("ended", Boolean.toString(ended));
    fields.put("owner", owner);
    fields.put("data", data);
    return shared
        .append(fields)
        .then()
        .onErrorResume(
            e -> {
              // A failed append must not fail the task: this replica's subscribers still hear it.
              log.warn("An event could not reach the other replicas: {}", e.toString());
              deliver(new TaskEvent(0, type, view.taskId(), ended, data, owner));
              return Mono.empty();
            });
  }

  /**
   * Id assignment, buffering and emission under one lock, so every subscriber sees ids in order.
   */
  private synchronized void emitSerialized(
      String type, @Nullable String taskId, boolean ended, String data, @Nullable String owner) {
    buffer(new TaskEvent(sequence.incrementAndGet(), type, taskId, ended, data, owner));
  }

  /** An event of the shared log, in its order: buffered under its id, then delivered. */
  private synchronized void buffer(TaskEvent event) {
    recent.addLast(event);
    if (recent.size() > REPLAY_CAPACITY) {
      sharedFloor = recent.removeFirst().id();
    }
    deliver(event);
  }

  private void deliver(TaskEvent event) {
    // Runner threads emit concurrently; busy-looping resolves the sink's brief contention instead
    // of failing.
    sink.emitNext(event, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(200)));
  }

  /** Live events only. */
  Flux<TaskEvent> live() {
    return sink.asFlux();
  }

  Flux<TaskEvent> forTask(String taskId) {
    return live().filter(e -> taskId.equals(e.taskId()));
  }

  /**
   * Every event after {@code lastEventId} that is still buffered, then live ones, without a gap or
   * a duplicate: live events are listened to before the buffer is read, and held until the missed
   * ones are out. Held in a queue that lets go of what it delivered (a replay would keep the last
   * {@link #REPLAY_CAPACITY} events for every resumed client, and browsers resume after any drop);
   * a client that falls that far behind loses the overflow, as a live one does.
   */
  Flux<TaskEvent> since(long lastEventId) {
    return Flux.defer(
        () -> {
          Sinks.Many<TaskEvent> held =
              Sinks.many()
                  .unicast()
                  .onBackpressureBuffer(Queues.<TaskEvent>get(REPLAY_CAPACITY).get());
          // The live sink hands events over one at a time, so these emissions never overlap.
          Disposable connection = live().subscribe(held::tryEmitNext);
          List<TaskEvent> missed = buffered(lastEventId);
          long lastReplayed = missed.isEmpty() ? lastEventId : missed.get(missed.size() - 1).id();
          // Events without an id (queue.changed and usage.changed with replicas, which each
          // replica announces for itself) carry state, not history: they go through too.
          return Flux.fromIterable(missed)
              .concatWith(held.asFlux().filter(e -> e.id() == 0 || e.id() > lastReplayed))
              .doFinally(signal -> connection.dispose());
        });
  }

  /**
   * Whether events after {@code lastEventId} were already dropped from the buffer (the client must
   * resync).
   */
  synchronized boolean gapAfter(long lastEventId) {
    if (shared.shared()) {
      // The log's ids have gaps of their own: what counts is where this buffer begins.
      return lastEventId < sharedFloor;
    }
    return !recent.isEmpty()
        && recent.peekFirst().id() > lastEventId + 1
        && lastEventId < sequence.get();
  }

  private synchronized List<TaskEvent> buffered(long lastEventId) {
    return recent.stream().filter(e -> e.id() > lastEventId).toList();
  }

  /** With the shared log: its last events fill the buffer, then every new one is followed. */
  @Override
  public void start() {
    running = true;
    if (shared.shared()) {
      following = shared.follow(REPLAY_CAPACITY).map(TaskEvents::fromLog).subscribe(this::logged);
    }
  }

  private synchronized void logged(TaskEvent event) {
    if (!followedAny) {
      followedAny = true;
      // A client whose last event is older than the oldest this replica has may have missed some.
      sharedFloor = event.id();
    }
    buffer(event);
  }

  private static TaskEvent fromLog(SharedEventLog.Entry entry) {
    Map<String, String> f = entry.fields();
    return new TaskEvent(
        entry.id(),
        f.getOrDefault("type", "task.progress"),
        f.get("task"),
        Boolean.parseBoolean(f.get("ended")),
        f.getOrDefault("data", "{}"),
        f.get("owner"));
  }

  @Override
  public void stop() {
    Disposable reading = following;
    if (reading != null) {
      reading.dispose();
    }
    following = null;
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
