package com.volcstudio.usage;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Whose usage a request may see, as the accounts decide it (the account package implements this, so
 * that usage does not depend on it).
 */
public interface UsageOwners {

  /**
   * The owner whose usage the current request sees: the caller's own, or the user an admin names
   * with {@code userId}; empty for everybody's ({@code all}, or login off). A member naming another
   * user is refused (403), an id that is no user is a field error.
   */
  Mono<Optional<String>> visibleOwner(@Nullable String userId);
}
