package com.volcstudio.preset;

import org.jspecify.annotations.Nullable;

/** The body of {@code POST/PUT /api/v1/presets}. */
record PresetRequest(@Nullable String name, @Nullable PresetParams params) {}
