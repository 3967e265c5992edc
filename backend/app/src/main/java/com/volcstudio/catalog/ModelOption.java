package com.volcstudio.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A model-specific on/off switch the user may set, sent upstream under {@code name} (e.g. {@code
 * use_pre_llm}, prompt expansion).
 */
public record ModelOption(
    String name,
    @JsonProperty("default") boolean defaultValue,
    LocalizedText label,
    LocalizedText description) {}
