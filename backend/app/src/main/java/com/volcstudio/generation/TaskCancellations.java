package com.volcstudio.generation;

import java.time.Duration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** Tells a running task to stop: the runner listens for its own id and drops what is in flight. */
@Component
class TaskCancellations {

  private final Sinks.Many<String> cancelled = Sinks.many().multicast().directBestEffort();

  void cancel(String taskId) {
    cancelled.emitNext(taskId, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(200)));
  }

  Flux<String> of(String taskId) {
    return cancelled.asFlux().filter(taskId::equals);
  }
}
