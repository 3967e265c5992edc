package com.volcstudio.generation;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a page of tasks ended: opaque to clients, a (created_at, id) keyset position to us. */
record TaskCursor(Instant createdAt, String id) {

  private static final Pattern FORM = Pattern.compile("(\\d{1,15}):([0-9a-f-]{36})");

  /** The position just after this task, newest-first order. */
  static TaskCursor after(Task task) {
    return new TaskCursor(task.createdAt(), task.id());
  }

  String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((createdAt.toEpochMilli() + ":" + id).getBytes(StandardCharsets.US_ASCII));
  }

  static Optional<TaskCursor> decode(String cursor) {
    try {
      Matcher m =
          FORM.matcher(
              new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII));
      return m.matches()
          ? Optional.of(
              new TaskCursor(Instant.ofEpochMilli(Long.parseLong(m.group(1))), m.group(2)))
          : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
