package com.volcstudio.generation;

import java.time.Duration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One hot stream of task events, fanned out to every SSE subscriber. Events are published only after
 * the change they describe is committed, and are built from the database, not from memory.
 */
@Component
class TaskEvents {

  private final Sinks.Many<TaskEvent> sink = Sinks.many().multicast().directBestEffort();
  private final TaskReader reader;

  TaskEvents(TaskReader reader) {
    this.reader = reader;
  }

  Mono<Void> publish(String type, String taskId) {
    return reader.view(taskId)
        // Runner threads emit concurrently; busy-looping resolves the sink's brief contention instead of failing.
        .doOnNext(view -> sink.emitNext(new TaskEvent(type, view), Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(200))))
        .then();
  }

  Flux<TaskEvent> forTask(String taskId) {
    return sink.asFlux().filter(e -> e.task().taskId().equals(taskId));
  }
}
