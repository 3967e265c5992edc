package com.volcstudio.generation;

import com.volcstudio.account.Scope;
import com.volcstudio.audit.AuditLog;
import com.volcstudio.web.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.Disposable;
import reactor.core.publisher.ConnectableFlux;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The proposal's task API: submit, read, and follow a task live. */
@RestController
class TaskController {

  record Accepted(String taskId, TaskStatus status, Instant createdAt) {}

  private final TaskService service;
  private final TaskReader reader;
  private final TaskEvents events;
  private final AuditLog audit;

  TaskController(TaskService service, TaskReader reader, TaskEvents events, AuditLog audit) {
    this.service = service;
    this.reader = reader;
    this.events = events;
    this.audit = audit;
  }

  @Operation(
      summary = "Submit one generation task",
      description =
          "Validated against the chosen model; stored as pending"
              + " and queued. With an Idempotency-Key, a repeated submit returns the task the first one created.")
  @ApiResponse(
      responseCode = "202",
      description = "Accepted: the task is stored and queued; Location names it")
  @QuotaRefusal
  @PostMapping("/api/v1/generate")
  Mono<ResponseEntity<Accepted>> generate(
      @RequestBody GenerateRequest request,
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
    return service.submit(request, idempotencyKey).map(TaskController::accepted);
  }

  @Operation(
      summary = "Edit an image: inpaint, erase, outpaint, upscale or remove its background",
      description =
          "The source is a stored image or an upload; the edit is checked against the model"
              + " (the operation's default unless one is named) before anything is stored, then"
              + " queued and run like a generation. Its task names the operation and the source;"
              + " GET /api/v1/history?source_image_id= lists an image's edits.")
  @ApiResponse(
      responseCode = "202",
      description = "Accepted: the task is stored and queued; Location names it")
  @QuotaRefusal
  @PostMapping("/api/v1/edits")
  Mono<ResponseEntity<Accepted>> edit(
      @RequestBody EditRequest request,
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
    return service.submitEdit(request, idempotencyKey).map(TaskController::accepted);
  }

  /** 202 with the task's place: where to follow it. */
  private static ResponseEntity<Accepted> accepted(Task task) {
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/task/" + task.id()))
        .body(new Accepted(task.id(), task.status(), task.createdAt()));
  }

  /**
   * Many tasks at once: a list of prompts, or one prompt over seeds × sizes (at most 100 tasks).
   * Every task is checked before any is stored; {@code dry_run: true} only reports the count and
   * the cost.
   */
  @ApiResponse(responseCode = "202", description = "Accepted: every task is stored and queued")
  @ApiResponse(responseCode = "200", description = "dry_run: the estimate only; nothing stored")
  @QuotaRefusal
  @PostMapping("/api/v1/generate/batch")
  Mono<ResponseEntity<TaskService.BatchPlan>> batch(
      @RequestBody BatchRequest request,
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
    return service
        .submitBatch(request, idempotencyKey)
        .map(
            plan ->
                plan.batchId() == null
                    ? ResponseEntity.ok(plan)
                    : ResponseEntity.accepted()
                        .location(URI.create("/api/v1/tasks?batch_id=" + plan.batchId()))
                        .body(plan));
  }

  @GetMapping("/api/v1/task/{task_id}")
  Mono<TaskView> task(@PathVariable("task_id") String taskId) {
    return find(taskId);
  }

  /** Stops a pending or running task; an upstream result that arrives later is discarded. */
  @ApiResponse(responseCode = "200", description = "The cancelled task")
  @ApiResponse(
      responseCode = "409",
      description = "The task has already ended",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  @PostMapping("/api/v1/task/{task_id}/cancel")
  Mono<TaskView> cancel(@PathVariable("task_id") String taskId) {
    return reader
        .visibleOrNotFound(taskId)
        .flatMap(task -> service.cancel(taskId).then(auditedIfOthers("task.cancelled", task)))
        .then(reader.view(taskId));
  }

  /** Runs a failed or cancelled task again; images it already has are kept. */
  @ApiResponse(responseCode = "200", description = "The task, pending again")
  @ApiResponse(
      responseCode = "409",
      description = "Only a failed or cancelled task can be retried",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  @QuotaRefusal
  @PostMapping("/api/v1/task/{task_id}/retry")
  Mono<TaskView> retry(@PathVariable("task_id") String taskId) {
    return checked(taskId).then(service.retry(taskId)).then(reader.view(taskId));
  }

  @ApiResponse(
      responseCode = "204",
      description = "Deleted, with its image files (a pending or running task is cancelled first)")
  @DeleteMapping("/api/v1/task/{task_id}")
  Mono<ResponseEntity<Void>> delete(@PathVariable("task_id") String taskId) {
    return reader
        .visibleOrNotFound(taskId)
        .flatMap(task -> service.delete(taskId).then(auditedIfOthers("task.deleted", task)))
        .thenReturn(ResponseEntity.noContent().build());
  }

  @PutMapping("/api/v1/task/{task_id}/favourite")
  Mono<TaskView> favourite(@PathVariable("task_id") String taskId) {
    return checked(taskId).then(service.favourite(taskId, true)).then(reader.view(taskId));
  }

  @DeleteMapping("/api/v1/task/{task_id}/favourite")
  Mono<TaskView> unfavourite(@PathVariable("task_id") String taskId) {
    return checked(taskId).then(service.favourite(taskId, false)).then(reader.view(taskId));
  }

  /**
   * Server-Sent Events for one task: a comment first (so headers flush at once), the current state
   * as {@code task.snapshot}, then every change until the task ends; heartbeat comments keep
   * proxies from closing a quiet stream.
   */
  @Operation(
      summary = "Live events of one task (Server-Sent Events)",
      description =
          "task.snapshot first, then task.progress,"
              + " task.image, and task.completed, task.failed or task.cancelled, after which the stream ends. Each event's data is the"
              + " whole task (TaskView). Heartbeat comments every 15 s.")
  @ApiResponse(
      responseCode = "200",
      description = "text/event-stream",
      content =
          @Content(
              mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
              schema = @Schema(implementation = String.class)))
  @ApiResponse(
      responseCode = "429",
      description =
          "This client already holds EVENTS_MAX_STREAMS_PER_CLIENT streams: close one, or retry"
              + " after Retry-After")
  @GetMapping(path = "/api/v1/task/{task_id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  Mono<ResponseEntity<Flux<ServerSentEvent<Object>>>> taskEvents(
      @PathVariable("task_id") String taskId) {
    return find(taskId)
        .map(first -> ServerSentEvents.response(ServerSentEvents.withHeartbeat(stream(taskId))));
  }

  private Flux<ServerSentEvent<Object>> stream(String taskId) {
    Flux<TaskEvent> taskEvents =
        Flux.defer(
            () -> {
              // Listen before reading the snapshot, so no change between the two is missed; stop
              // listening
              // when the client goes away.
              ConnectableFlux<TaskEvent> changes = events.forTask(taskId).replay(64);
              Disposable listening = changes.connect();
              return reader
                  .view(taskId)
                  .map(view -> new TaskEvent(0, TaskEvent.SNAPSHOT, view))
                  .flux()
                  .concatWith(changes)
                  .takeUntil(event -> event.terminal() || event.taskEnded())
                  .doFinally(signal -> listening.dispose());
            });
    return taskEvents.map(ServerSentEvents::of);
  }

  /** An admin's cancel or delete of another user's task goes into the audit log. */
  private Mono<Void> auditedIfOthers(String action, Task task) {
    return Scope.current()
        .filter(scope -> !scope.owner().equals(task.owner()))
        .flatMap(scope -> audit.record(action, task.id(), "a task of another user"));
  }

  /**
   * A task the caller may see, or a 404 problem: an id that cannot be one of ours, one that does
   * not exist and another user's are answered alike; nothing malformed reaches SQL.
   */
  private Mono<Void> checked(String taskId) {
    return reader.visibleOrNotFound(taskId).then();
  }

  private Mono<TaskView> find(String taskId) {
    return checked(taskId)
        .then(reader.view(taskId))
        .switchIfEmpty(Mono.error(() -> new NotFoundException("task", taskId)));
  }
}
