package com.volcstudio.generation;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.volcstudio.catalog.GenerationParams;
import com.volcstudio.image.StoredImage;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A task as the API shows it: the proposal's {@code GET /api/v1/task/{task_id}} shape, extended.
 * {@code batch_id}: the batch it was submitted in, whose images {@code GET
 * /api/v1/batch/{batch_id}/zip} downloads; null for a single task.
 *
 * @param params written flat, each parameter a field of the task as before ({@code model}, {@code
 *     prompt}, … {@code reference_image_ids}); the OpenAPI document inlines them the same way
 */
record TaskView(
    String taskId,
    TaskStatus status,
    int progress,
    TaskStage stage,
    @JsonUnwrapped GenerationParams params,
    int attempts,
    boolean favourite,
    List<ImageView> images,
    @Nullable ErrorView error,
    @Nullable Integer queuePosition,
    @Nullable Integer etaSeconds,
    Instant createdAt,
    @Nullable Instant startedAt,
    @Nullable Instant completedAt,
    @Nullable String batchId) {

  record ImageView(
      String imageId, String url, String thumbnailUrl, int width, int height, long seed) {}

  /**
   * {@code message} is the upstream's own words; {@code message_zh}/{@code message_en} explain
   * them.
   */
  record ErrorView(
      String code, String message, String messageZh, String messageEn, boolean retryable) {}

  static TaskView of(Task t, List<StoredImage> images) {
    return of(t, images, null, null);
  }

  /** With the task's place in the queue and a rough wait, when it is waiting. */
  static TaskView of(
      Task t,
      List<StoredImage> images,
      @Nullable Integer queuePosition,
      @Nullable Integer etaSeconds) {
    List<ImageView> imageViews =
        images.stream()
            .map(
                i ->
                    new ImageView(
                        i.id(), i.url(), i.thumbnailUrl(), i.width(), i.height(), i.seed()))
            .toList();
    TaskError e = t.error();
    ErrorView error =
        e == null
            ? null
            : new ErrorView(
                e.code(), e.upstreamMessage(), e.messageZh(), e.messageEn(), e.retryable());
    return new TaskView(
        t.id(),
        t.status(),
        t.progress(),
        t.stage(),
        t.params(),
        t.attempts(),
        t.favourite(),
        imageViews,
        error,
        queuePosition,
        etaSeconds,
        t.createdAt(),
        t.startedAt(),
        t.completedAt(),
        t.batchId());
  }
}
