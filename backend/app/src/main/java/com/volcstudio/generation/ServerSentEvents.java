package com.volcstudio.generation;

import java.time.Duration;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;

/**
 * What every event stream of this API shares: the opening comment, ids, heartbeats and proxy
 * headers.
 */
final class ServerSentEvents {

  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private ServerSentEvents() {}

  /** A snapshot (id 0) carries no id, so it never moves a client's Last-Event-ID. */
  static ServerSentEvent<Object> of(TaskEvent event) {
    ServerSentEvent.Builder<Object> builder =
        ServerSentEvent.builder().event(event.type()).data(event.data());
    return (event.id() == 0 ? builder : builder.id(String.valueOf(event.id()))).build();
  }

  /**
   * A comment first, because headers are not flushed before the first element and clients would
   * wait on a silent stream; heartbeat comments while it is open, so proxies do not close a quiet
   * one.
   */
  static Flux<ServerSentEvent<Object>> withHeartbeat(Flux<ServerSentEvent<Object>> events) {
    return Flux.concat(
        Flux.just(ServerSentEvent.builder().comment("connected").build()),
        events.publish(
            shared ->
                Flux.merge(
                    shared,
                    Flux.interval(HEARTBEAT)
                        .map(tick -> ServerSentEvent.builder().comment("heartbeat").build())
                        .takeUntilOther(shared.ignoreElements()))));
  }

  /** nginx must not buffer the stream (X-Accel-Buffering), and nothing may cache it. */
  static <T> ResponseEntity<T> response(T body) {
    return ResponseEntity.ok()
        .header("X-Accel-Buffering", "no")
        .header("Cache-Control", "no-cache")
        .body(body);
  }
}
