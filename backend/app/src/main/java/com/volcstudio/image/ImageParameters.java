package com.volcstudio.image;

import com.volcstudio.catalog.GenerationParams;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How an image was asked for: the task's generation parameters, as recorded next to the image and
 * embedded in its file. The per-image facts (seed, task, time) come from {@link StoredImage}
 * itself.
 *
 * @param options model-specific switches (e.g. {@code use_pre_llm}) as resolved at submit time
 */
public record ImageParameters(
    String model,
    String prompt,
    String negativePrompt,
    int width,
    int height,
    @Nullable Integer steps,
    @Nullable Double scale,
    Map<String, Boolean> options) {

  /**
   * The part of a generation's parameters that describes each of its images: the count, the
   * reference uploads and the first seed are the task's (each image has its own seed).
   */
  public static ImageParameters of(GenerationParams p) {
    return new ImageParameters(
        p.model(),
        p.prompt(),
        p.negativePrompt(),
        p.width(),
        p.height(),
        p.steps(),
        p.scale(),
        p.options());
  }
}
