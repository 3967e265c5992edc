package com.volcstudio.generation;

import com.volcstudio.image.ImageParameters;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A generation task as stored in {@code generation_task}.
 *
 * @param batchId the batch it was submitted in ({@code POST /api/v1/generate/batch}), or null
 */
record Task(
    String id,
    TaskStatus status,
    TaskStage stage,
    int progress,
    String model,
    String prompt,
    String negativePrompt,
    int width,
    int height,
    int numImages,
    long seed,
    @Nullable Integer steps,
    @Nullable Double scale,
    Map<String, Boolean> options,
    int attempts,
    boolean favourite,
    @Nullable TaskError error,
    Instant createdAt,
    @Nullable Instant startedAt,
    @Nullable Instant completedAt,
    List<String> referenceImageIds,
    @Nullable String batchId) {

  static Task pending(String id, ValidatedGeneration g, Instant now) {
    return pending(id, g, now, null);
  }

  /** A waiting task, one of the batch {@code batchId} when that is not null. */
  static Task pending(String id, ValidatedGeneration g, Instant now, @Nullable String batchId) {
    return new Task(
        id,
        TaskStatus.PENDING,
        TaskStage.QUEUED,
        0,
        g.model().id(),
        g.prompt(),
        g.negativePrompt(),
        g.width(),
        g.height(),
        g.numImages(),
        g.seed(),
        g.steps(),
        g.scale(),
        g.options(),
        0,
        false,
        null,
        now,
        null,
        null,
        g.referenceImageIds(),
        batchId);
  }

  /** What each of its images records and embeds about how it was made. */
  ImageParameters imageParameters() {
    return new ImageParameters(model, prompt, negativePrompt, width, height, steps, scale, options);
  }
}
