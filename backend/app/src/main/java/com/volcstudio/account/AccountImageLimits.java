package com.volcstudio.account;

import com.volcstudio.usage.OwnerImageLimit;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** An account's monthly_image_quota, as the usage package's per-owner check asks for it. */
@Component
class AccountImageLimits implements OwnerImageLimit {

  private final AccountRepository accounts;

  AccountImageLimits(AccountRepository accounts) {
    this.accounts = accounts;
  }

  @Override
  public Mono<Integer> monthlyImageLimit(String owner) {
    Mono<Account> account =
        Caller.FIRST_OWNER.equals(owner)
            ? accounts.findEnvironmentAccount()
            : accounts.findById(owner);
    return account.mapNotNull(Account::monthlyImageQuota);
  }
}
