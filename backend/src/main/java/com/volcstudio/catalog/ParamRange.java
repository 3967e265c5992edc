package com.volcstudio.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A numeric parameter a model accepts.
 *
 * @param upstream the field name VolcEngine expects (e.g. {@code ddim_steps})
 */
public record ParamRange(String upstream, double min, double max, @JsonProperty("default") double defaultValue) {

  public boolean contains(double value) {
    return value >= min && value <= max;
  }
}
