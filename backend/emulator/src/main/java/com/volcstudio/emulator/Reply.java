package com.volcstudio.emulator;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * An HTTP answer: status, content type, body bytes and what it counts as. {@code drop} closes the
 * connection instead of answering, after the work is done: a lost response, which the official SDK
 * retries (§7). {@code events}, when set, is a Server-Sent Events body sent frame by frame as it is
 * made (Ark's streamed image sets); an error in it cuts the connection there.
 */
record Reply(
    int status,
    String contentType,
    byte[] body,
    String outcome,
    boolean drop,
    @Nullable Flux<String> events) {

  Reply(int status, String contentType, byte[] body, String outcome, boolean drop) {
    this(status, contentType, body, outcome, drop, null);
  }

  /** A 200 {@code text/event-stream} whose frames are sent as they come. */
  static Reply stream(String outcome, Flux<String> frames) {
    return new Reply(200, "text/event-stream", new byte[0], outcome, false, frames);
  }

  /**
   * @param outcome the code the statistics count this answer under ("10000", "50429",
   *     "SignatureDoesNotMatch")
   */
  static Reply json(int status, String outcome, String json) {
    return new Reply(
        status,
        "application/json; charset=utf-8",
        json.getBytes(StandardCharsets.UTF_8),
        outcome,
        false);
  }

  static Reply bytes(int status, String contentType, byte[] body) {
    return new Reply(status, contentType, body, String.valueOf(status), false);
  }

  static Reply empty(int status) {
    return new Reply(status, "text/plain", new byte[0], String.valueOf(status), false);
  }

  Reply dropped() {
    return new Reply(status, contentType, body, outcome, true, events);
  }
}
