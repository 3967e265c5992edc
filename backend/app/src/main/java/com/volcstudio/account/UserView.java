package com.volcstudio.account;

import com.volcstudio.usage.UsageByOwner;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An account as the admin API shows it: never its password or hash.
 *
 * @param monthlyImageQuota images per calendar month of its own; null = no limit of its own
 * @param allowedModels models it may use; empty = every model
 * @param managedByEnvironment the account of APP_AUTH_USERNAME: its name, password, role and state
 *     come from the environment and cannot be changed here
 * @param month its tasks, images and estimated cost this calendar month (UTC) so far
 */
public record UserView(
    String userId,
    String username,
    Role role,
    @Nullable Integer monthlyImageQuota,
    List<String> allowedModels,
    boolean disabled,
    boolean managedByEnvironment,
    Instant createdAt,
    Instant updatedAt,
    UsageByOwner.Month month) {

  static UserView of(Account account, Map<String, UsageByOwner.Month> months) {
    return new UserView(
        account.id(),
        account.username(),
        account.role(),
        account.monthlyImageQuota(),
        account.allowedModels(),
        account.disabled(),
        account.fromEnvironment(),
        account.createdAt(),
        account.updatedAt(),
        months.getOrDefault(
            account.fromEnvironment() ? Caller.FIRST_OWNER : account.id(),
            UsageByOwner.Month.NONE));
  }
}
