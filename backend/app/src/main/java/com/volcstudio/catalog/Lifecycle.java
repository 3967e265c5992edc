package com.volcstudio.catalog;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where a model stands in the provider's line-up: still served, on its way out, or gone. Data in
 * the catalog, so a notice from the provider is a change to {@code models.json} (or to the copy in
 * {@code DATA_DIR}), not to code.
 *
 * @param deprecated the provider has announced its end, or a successor serves better: the page
 *     warns and offers {@code replacedBy}
 * @param retiresAt from then on the provider refuses it, so the studio does too, with a 400 naming
 *     the replacement; null while no date is confirmed
 * @param replacedBy the catalog id to use instead, or null
 */
public record Lifecycle(
    boolean deprecated, @Nullable Instant retiresAt, @Nullable String replacedBy) {

  /** Whether the model is past its retirement at {@code now}. */
  public boolean retired(Instant now) {
    return retiresAt != null && !now.isBefore(retiresAt);
  }
}
