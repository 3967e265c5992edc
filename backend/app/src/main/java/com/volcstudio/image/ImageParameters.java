package com.volcstudio.image;

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
    Map<String, Boolean> options) {}
