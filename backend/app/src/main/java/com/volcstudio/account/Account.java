package com.volcstudio.account;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One account as stored.
 *
 * @param passwordHash the BCrypt hash in Spring Security's {@code {bcrypt}…} form; null for the
 *     account of APP_AUTH_USERNAME, whose password is the environment's
 * @param monthlyImageQuota images per calendar month of its own; null = no limit of its own
 * @param allowedModels model ids it may use; empty = every model
 */
public record Account(
    String id,
    String username,
    @Nullable String passwordHash,
    Role role,
    @Nullable Integer monthlyImageQuota,
    List<String> allowedModels,
    boolean disabled,
    Instant createdAt,
    Instant updatedAt) {

  Account withUpdatedAt(Instant now) {
    return new Account(
        id,
        username,
        passwordHash,
        role,
        monthlyImageQuota,
        allowedModels,
        disabled,
        createdAt,
        now);
  }

  Account withRole(Role newRole) {
    return new Account(
        id,
        username,
        passwordHash,
        newRole,
        monthlyImageQuota,
        allowedModels,
        disabled,
        createdAt,
        updatedAt);
  }

  /** Whether its password is APP_AUTH_PASSWORD (and its name, role and state the environment's). */
  public boolean fromEnvironment() {
    return passwordHash == null;
  }
}
