package com.volcstudio.generation;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * {@code GET /api/v1/events}: every task event, for the UI's single EventSource. A reconnecting client
 * sends {@code Last-Event-ID} (browsers do this themselves) and gets what it missed; if the gap is
 * older than the replay buffer it gets a {@code resync} event and should reload its state.
 */
@RestController
class EventStreamController {

  private final TaskEvents events;

  EventStreamController(TaskEvents events) {
    this.events = events;
  }

  @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  ResponseEntity<Flux<ServerSentEvent<Object>>> events(
      @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventIdHeader,
      @RequestParam(name = "last_event_id", required = false) @Nullable String lastEventIdParam) {
    Long lastEventId = parse(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam);
    Flux<ServerSentEvent<Object>> stream;
    if (lastEventId == null) {
      stream = events.live().map(ServerSentEvents::of);
    } else {
      Flux<ServerSentEvent<Object>> resync = events.gapAfter(lastEventId)
          ? Flux.just(ServerSentEvent.builder().event("resync")
              .data((Object) Map.of("reason", "events after " + lastEventId + " are no longer buffered; reload the task list")).build())
          : Flux.empty();
      stream = resync.concatWith(events.since(lastEventId).map(ServerSentEvents::of));
    }
    return ServerSentEvents.response(ServerSentEvents.withHeartbeat(stream));
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
