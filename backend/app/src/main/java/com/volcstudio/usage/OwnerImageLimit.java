package com.volcstudio.usage;

import reactor.core.publisher.Mono;

/**
 * An owner's own monthly image limit (issue 17: an account's {@code monthly_image_quota}), on top
 * of MONTHLY_IMAGE_QUOTA; answered by the account package.
 */
public interface OwnerImageLimit {

  /** The owner's limit; empty when the owner has none of their own. */
  Mono<Integer> monthlyImageLimit(String owner);
}
