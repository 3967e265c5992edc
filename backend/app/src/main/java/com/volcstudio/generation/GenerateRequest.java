package com.volcstudio.generation;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/generate}, as in the proposal. Everything but the prompt is
 * optional; the chosen model supplies defaults and limits.
 *
 * @param referenceImageIds uploads ({@code POST /api/v1/uploads}) sent as reference images
 * @param presetId a saved preset whose parameters fill in what this request leaves out
 * @param style a built-in style ({@code GET /api/v1/styles}) whose phrase is added to the prompt
 * @param sequential ask for one related set of up to {@code num_images} images, streamed as each is
 *     painted (the models with {@code sequential: true})
 */
record GenerateRequest(
    @Nullable String prompt,
    @Nullable String model,
    @Nullable Integer width,
    @Nullable Integer height,
    @Nullable Integer numImages,
    @Nullable Long seed,
    @Nullable Integer steps,
    @Nullable Double scale,
    @Nullable String negativePrompt,
    @Nullable Map<String, Boolean> options,
    @Nullable List<String> referenceImageIds,
    @Nullable String presetId,
    @Nullable String style,
    @Nullable Boolean sequential) {}
