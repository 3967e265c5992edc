package com.volcstudio.generation;

import com.volcstudio.catalog.GenerationParams;
import com.volcstudio.image.ImageParameters;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A generation task as stored in {@code generation_task}.
 *
 * @param params what it makes: the validated parameters it was submitted with
 * @param batchId the batch it was submitted in ({@code POST /api/v1/generate/batch}), or null
 */
record Task(
    String id,
    TaskStatus status,
    TaskStage stage,
    int progress,
    GenerationParams params,
    int attempts,
    boolean favourite,
    @Nullable TaskError error,
    Instant createdAt,
    @Nullable Instant startedAt,
    @Nullable Instant completedAt,
    @Nullable String batchId,
    String owner) {

  static Task pending(String id, ValidatedGeneration g, Instant now, String owner) {
    return pending(id, g, now, null, owner);
  }

  /** A waiting task, one of the batch {@code batchId} when that is not null. */
  static Task pending(
      String id, ValidatedGeneration g, Instant now, @Nullable String batchId, String owner) {
    return new Task(
        id,
        TaskStatus.PENDING,
        TaskStage.QUEUED,
        0,
        g.params(),
        0,
        false,
        null,
        now,
        null,
        null,
        batchId,
        owner);
  }

  /** What each of its images records and embeds about how it was made. */
  ImageParameters imageParameters() {
    return ImageParameters.of(params);
  }
}
