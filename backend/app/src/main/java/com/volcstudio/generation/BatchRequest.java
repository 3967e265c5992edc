package com.volcstudio.generation;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/generate/batch}: either several prompts, or one prompt over seeds
 * × sizes; the other fields apply to every task, as in {@code /generate}.
 */
record BatchRequest(
    @Nullable List<String> prompts,
    @Nullable String prompt,
    @Nullable List<Long> seeds,
    @Nullable List<Size> sizes,
    @Nullable String model,
    @Nullable Integer width,
    @Nullable Integer height,
    @Nullable Integer numImages,
    @Nullable Integer steps,
    @Nullable Double scale,
    @Nullable String negativePrompt,
    @Nullable Map<String, Boolean> options,
    @Nullable List<String> referenceImageIds,
    @Nullable String presetId,
    @Nullable String style,
    @Nullable Boolean dryRun) {

  record Size(int width, int height) {}
}
