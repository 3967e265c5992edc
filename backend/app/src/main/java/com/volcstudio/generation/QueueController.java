package com.volcstudio.generation;

import com.volcstudio.account.Scope;
import com.volcstudio.volcengine.UpstreamBreaker;
import com.volcstudio.volcengine.UpstreamBreakers;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Queue control: look at it, pause and resume it, and put a waiting task first. */
@RestController
class QueueController {

  /**
   * @param outages providers found unreachable: their tasks wait (keeping their places) and go on
   *     by themselves once a probe is answered at {@code next_check_at} or later
   */
  record QueueState(
      boolean paused,
      int running,
      int concurrency,
      List<String> waiting,
      List<UpstreamBreaker.Outage> outages) {}

  private final TaskQueue queue;
  private final TaskDispatcher dispatcher;
  private final TaskService service;
  private final TaskReader reader;
  private final UpstreamBreakers breakers;

  QueueController(
      TaskQueue queue,
      TaskDispatcher dispatcher,
      TaskService service,
      TaskReader reader,
      UpstreamBreakers breakers) {
    this.queue = queue;
    this.dispatcher = dispatcher;
    this.service = service;
    this.reader = reader;
    this.breakers = breakers;
  }

  /** {@code waiting}: a member's own waiting tasks (others' ids are private); an admin's: all. */
  @GetMapping("/api/v1/queue")
  Mono<QueueState> state() {
    return Scope.current()
        .flatMap(
            scope ->
                dispatcher
                    .running()
                    .map(
                        running ->
                            new QueueState(
                                queue.paused(),
                                running,
                                dispatcher.concurrency(),
                                scope.admin()
                                    ? queue.waitingIds()
                                    : queue.waitingIds(scope.owner()),
                                breakers.outages())));
  }

  /** Running tasks finish; waiting ones stay until resumed. */
  @PostMapping("/api/v1/queue/pause")
  Mono<QueueState> pause() {
    return dispatcher.pause().then(state());
  }

  @PostMapping("/api/v1/queue/resume")
  Mono<QueueState> resume() {
    return dispatcher.resume().then(state());
  }

  @ApiResponse(responseCode = "200", description = "The task, now first in line")
  @ApiResponse(
      responseCode = "409",
      description = "The task is not waiting",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  @PostMapping("/api/v1/task/{task_id}/move-to-front")
  Mono<TaskView> moveToFront(@PathVariable("task_id") String taskId) {
    return reader
        .visibleOrNotFound(taskId)
        .then(service.moveToFront(taskId))
        .then(reader.view(taskId));
  }
}
