package com.volcstudio.generation;

import com.volcstudio.account.Scope;
import com.volcstudio.web.ForbiddenException;
import com.volcstudio.web.InvalidRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/events}: every task event, for the UI's single EventSource. A reconnecting
 * client sends {@code Last-Event-ID} (browsers do this themselves) and gets what it missed; if the
 * gap is older than the replay buffer it gets a {@code resync} event and should reload its state.
 */
@RestController
class EventStreamController {

  /**
   * One timer for every client of this stream, which never ends, merged into each: a heartbeat
   * multicast per client (as the task stream's, which ends) cost a quarter of the fan-out's CPU.
   * Each client drops the beats it cannot take, so a stalled one never holds back the others'.
   */
  private final Flux<Long> heartbeats = Flux.interval(ServerSentEvents.HEARTBEAT).share();

  private final TaskEvents events;
  private final ServerSentEvents.Frames frames;

  EventStreamController(TaskEvents events, JsonMapper json) {
    this.events = events;
    this.frames = new ServerSentEvents.Frames(json);
  }

  @Operation(
      summary = "Every live event (Server-Sent Events)",
      description =
          "task.created, task.progress, task.image,"
              + " task.completed, task.failed, task.cancelled, task.deleted (data: the whole task); queue.changed (data: {waiting,"
              + " running, concurrency, paused, outages: [{provider, since, next_check_at}]}) and usage.changed (data: {used, limit}), each at most every 250 ms. Monotonic ids:"
              + " reconnect with Last-Event-ID (or last_event_id) to get what was missed, or a resync event if it is too old."
              + " Heartbeat comments every 15 s.")
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
  @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  Mono<ResponseEntity<Flux<DataBuffer>>> events(
      @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventIdHeader,
      @RequestParam(name = "last_event_id", required = false) @Nullable String lastEventIdParam,
      @Parameter(
              description =
                  "all: every user's task events (admins; login on). Without it, the caller's"
                      + " own tasks only")
          @RequestParam(name = "scope", required = false)
          @Nullable String scope) {
    if (scope != null && !scope.equals("all")) {
      return Mono.error(new InvalidRequestException("scope", "must be 'all' or left out"));
    }
    return Scope.current()
        .flatMap(
            caller -> {
              if (scope != null && !caller.admin()) {
                return Mono.error(
                    new ForbiddenException("scope: only an admin may follow every user's tasks."));
              }
              Predicate<TaskEvent> shown =
                  scope != null || caller.listed() == null
                      ? event -> true
                      : event -> event.owner() == null || event.owner().equals(caller.owner());
              Long lastEventId =
                  parse(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam);
              return Mono.just(
                  ServerSentEvents.response(
                      Flux.concat(
                          Mono.fromSupplier(frames::connected),
                          stream(lastEventId, shown)
                              .mergeWith(
                                  heartbeats
                                      .onBackpressureDrop()
                                      .map(tick -> frames.heartbeat())))));
            });
  }

  private Flux<DataBuffer> stream(@Nullable Long lastEventId, Predicate<TaskEvent> shown) {
    if (lastEventId == null) {
      return events.live().filter(shown).map(frames::of);
    }
    Flux<DataBuffer> resync =
        events.gapAfter(lastEventId)
            ? Flux.defer(
                () ->
                    Flux.just(
                        frames.of(
                            "resync",
                            Map.of(
                                "reason",
                                "events after "
                                    + lastEventId
                                    + " are no longer buffered; reload the task list"))))
            : Flux.empty();
    return resync.concatWith(events.since(lastEventId).filter(shown).map(frames::of));
  }

  /** A malformed id is treated as none: the client then simply gets live events. */
  private static @Nullable Long parse(@Nullable String id) {
    if (id == null || id.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(id.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
