package com.volcstudio.preset;

import java.time.Instant;

/** A saved preset, as stored and as the API shows it. */
record Preset(String id, String name, PresetParams params, Instant createdAt, Instant updatedAt) {}
