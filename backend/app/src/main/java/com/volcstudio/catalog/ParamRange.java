package com.volcstudio.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/**
 * A numeric parameter a model accepts. Decimals keep the catalog's figures as written, so the API
 * shows {@code 16} for an integer parameter and {@code 3.5} for a fractional one.
 *
 * @param upstream the field name VolcEngine expects (e.g. {@code ddim_steps})
 * @param integer whether only whole numbers are accepted (Jimeng 4.6's {@code scale}); false when
 *     the catalog leaves it out
 */
public record ParamRange(
    String upstream,
    BigDecimal min,
    BigDecimal max,
    @JsonProperty("default") BigDecimal defaultValue,
    boolean integer) {

  public boolean contains(double value) {
    return value >= min.doubleValue() && value <= max.doubleValue();
  }

  /** The value as the service takes it: a whole number where it refuses fractions. */
  public Number wire(double value) {
    return integer ? (Number) Math.round(value) : (Number) value;
  }
}
