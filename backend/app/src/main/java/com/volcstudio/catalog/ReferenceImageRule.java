package com.volcstudio.catalog;

import org.jspecify.annotations.Nullable;

/**
 * The reference images a model takes (docs/volcengine/PROTOCOL.md §3.3 for visual req_keys, §6.3
 * for Ark).
 *
 * @param min fewest images a request must carry (1 for a pure image-to-image model)
 * @param max most images
 * @param upstream the request field they travel in: {@code binary_data_base64} (visual, plain
 *     base64) or {@code image} (Ark, {@code data:} URLs)
 * @param maxBytes largest image the service accepts
 * @param maxAspect longest side / shortest side the service accepts, or null when not limited
 */
public record ReferenceImageRule(
    int min, int max, String upstream, long maxBytes, @Nullable Double maxAspect) {

  public static final String VISUAL_BASE64 = "binary_data_base64";
  public static final String ARK_IMAGE = "image";
}
