package com.volcstudio.generation;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Accepts generation requests: validate, store as pending, hand to the queue. */
@Service
class TaskService {

  private final GenerationValidator validator;
  private final TaskRepository tasks;
  private final TaskDispatcher dispatcher;
  private final TaskEvents events;
  private final Clock clock = Clock.systemUTC();

  TaskService(GenerationValidator validator, TaskRepository tasks, TaskDispatcher dispatcher, TaskEvents events) {
    this.validator = validator;
    this.tasks = tasks;
    this.dispatcher = dispatcher;
    this.events = events;
  }

  Mono<Task> submit(GenerateRequest request) {
    return Mono.fromSupplier(() -> validator.validate(request))
        .map(valid -> Task.pending(UUID.randomUUID().toString(), valid, clock.instant().truncatedTo(ChronoUnit.MILLIS)))
        // Committed before the client hears of it and before the queue sees it: a crash loses nothing.
        .flatMap(task -> tasks.insert(task).then(events.publish(TaskEvent.CREATED, task.id())).thenReturn(task))
        .doOnNext(task -> dispatcher.enqueue(task.id()));
  }
}
