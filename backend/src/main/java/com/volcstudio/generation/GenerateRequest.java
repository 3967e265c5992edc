package com.volcstudio.generation;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/generate}, as in the proposal. Everything but the prompt is
 * optional; the chosen model supplies defaults and limits.
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
    @Nullable Map<String, Boolean> options) {}
