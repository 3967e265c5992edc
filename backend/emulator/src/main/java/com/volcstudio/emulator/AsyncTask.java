package com.volcstudio.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * A submitted {@code CVSync2AsyncSubmitTask} job. Its status follows from the clock alone (§3.1):
 * {@code in_queue} for the first third of its generation time, {@code generating} until the end,
 * then {@code done}; {@code expired} after the task lifetime. The images are rendered once, on the
 * first look at a done task.
 */
record AsyncTask(
    String id,
    Generation generation,
    Instant submittedAt,
    Duration generationTime,
    Mono<List<byte[]>> images) {

  enum Status {
    IN_QUEUE("in_queue"),
    GENERATING("generating"),
    DONE("done"),
    EXPIRED("expired"),
    NOT_FOUND("not_found");

    private final String wire;

    Status(String wire) {
      this.wire = wire;
    }

    String wire() {
      return wire;
    }

    boolean unfinished() {
      return this == IN_QUEUE || this == GENERATING;
    }
  }

  Status status(Instant now, Duration lifetime) {
    Duration age = Duration.between(submittedAt, now);
    if (age.compareTo(lifetime.multipliedBy(2)) >= 0) {
      return Status.NOT_FOUND;
    }
    if (age.compareTo(lifetime) >= 0) {
      return Status.EXPIRED;
    }
    if (age.compareTo(generationTime) >= 0) {
      return Status.DONE;
    }
    return age.compareTo(generationTime.dividedBy(3)) < 0 ? Status.IN_QUEUE : Status.GENERATING;
  }
}
