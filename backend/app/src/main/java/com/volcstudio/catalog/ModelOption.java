package com.volcstudio.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A model-specific on/off switch the user may set, sent upstream under {@code name} (e.g. {@code
 * use_pre_llm}, prompt expansion).
 */
public record ModelOption(
    String name,
    @JsonProperty("default") boolean defaultValue,
    LocalizedText label,
    LocalizedText description,
    @JsonProperty(value = "when_on", access = JsonProperty.Access.WRITE_ONLY)
        @Nullable Map<String, Object> whenOn,
    @Nullable Requires requires) {

  /**
   * What the option needs of the request when on, checked before anything is stored: exactly {@code
   * references} reference images, each of one of {@code referenceTypes} (e.g. Seedream 5.0 Pro's
   * transparent background: one PNG, PROTOCOL-2026-12 §2).
   */
  public record Requires(int references, List<String> referenceTypes) {}

  /**
   * The fields this option adds to the upstream request: {@code name: on} as a rule; where the
   * service takes it as something else ({@code when_on}, e.g. Seedream 5.0 Lite's web search,
   * {@code tools: [{type: web_search}]}), those fields when on and nothing when off.
   */
  public Map<String, Object> upstream(boolean on) {
    if (whenOn == null) {
      return Map.of(name, on);
    }
    return on ? whenOn : Map.of();
  }
}
