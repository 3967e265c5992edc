package com.volcstudio.generation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

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

  /**
   * Events as the bytes of their frames, in the format Spring's SSE writer uses ({@code id:},
   * {@code event:}, {@code data:} lines, then a blank line). On {@code /api/v1/events} one event
   * goes to every client: its frame is made once, by the first subscriber that meets it, and the
   * others wrap the same bytes, where the SSE writer would build and encode it again for each one.
   */
  static final class Frames {

    private static final byte[] CONNECTED = ":connected\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HEARTBEAT_FRAME = ":heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    /** The event last framed: the sink hands one event to every subscriber in turn. */
    private record Framed(TaskEvent event, byte[] bytes) {}

    private final AtomicReference<@Nullable Framed> last = new AtomicReference<>();
    private final JsonMapper json;

    Frames(JsonMapper json) {
      this.json = json;
    }

    DataBuffer of(TaskEvent event) {
      Framed framed = last.get();
      if (framed == null || framed.event() != event) {
        framed = new Framed(event, frame(event));
        last.set(framed);
      }
      return wrap(framed.bytes());
    }

    /** An event that is not a task's, such as {@code resync}. */
    DataBuffer of(String type, Object data) {
      return wrap(frame(null, type, json.writeValueAsString(data)));
    }

    DataBuffer connected() {
      return wrap(CONNECTED);
    }

    DataBuffer heartbeat() {
      return wrap(HEARTBEAT_FRAME);
    }

    private byte[] frame(TaskEvent event) {
      // Id 0 (a snapshot, or with replicas a replica's own queue.changed or usage.changed) is sent
      // without one, so it never moves a client's Last-Event-ID.
      String data =
          event.data() instanceof String text ? text : json.writeValueAsString(event.data());
      return frame(event.id() == 0 ? null : event.id(), event.type(), data);
    }

    private static byte[] frame(@Nullable Long id, String type, String data) {
      StringBuilder frame = new StringBuilder(data.length() + 64);
      if (id != null) {
        frame.append("id:").append(id).append('\n');
      }
      frame.append("event:").append(type).append('\n');
      frame.append("data:").append(data.replace("\n", "\ndata:")).append("\n\n");
      return frame.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static DataBuffer wrap(byte[] bytes) {
      return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
    }
  }

  /** nginx must not buffer the stream (X-Accel-Buffering), and nothing may cache it. */
  static <T> ResponseEntity<T> response(T body) {
    return ResponseEntity.ok()
        .header("X-Accel-Buffering", "no")
        .header("Cache-Control", "no-cache")
        .body(body);
  }
}
