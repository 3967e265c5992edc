package com.volcstudio.account;

import com.volcstudio.usage.UsageOwners;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Whose usage a request sees: {@link Accounts#listedOwner}. */
@Component
class AccountUsageOwners implements UsageOwners {

  private final Accounts accounts;

  AccountUsageOwners(Accounts accounts) {
    this.accounts = accounts;
  }

  @Override
  public Mono<Optional<String>> visibleOwner(@Nullable String userId) {
    return Scope.current().flatMap(scope -> accounts.listedOwner(scope, userId));
  }
}
