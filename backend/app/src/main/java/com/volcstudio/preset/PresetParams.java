package com.volcstudio.preset;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The generation parameters a preset keeps: the generate body without the prompt. Null = model
 * default.
 */
public record PresetParams(
    String model,
    @Nullable Integer width,
    @Nullable Integer height,
    @Nullable Integer numImages,
    @Nullable Long seed,
    @Nullable Integer steps,
    @Nullable Double scale,
    @Nullable String negativePrompt,
    @Nullable Map<String, Boolean> options) {}
