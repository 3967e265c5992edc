package com.volcstudio.account;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An account to create ({@code POST}: username and password required) or the fields to change
 * ({@code PATCH}: only those given). {@code monthly_image_quota} 0 removes the account's own limit;
 * {@code allowed_models} [] allows every model.
 */
public record UserRequest(
    @Nullable String username,
    @Nullable String password,
    @Nullable String role,
    @Nullable Integer monthlyImageQuota,
    @Nullable List<String> allowedModels,
    @Nullable Boolean disabled) {

  @Override
  public String toString() {
    return "UserRequest[username="
        + username
        + ", password="
        + (password == null ? "null" : "****")
        + ", role="
        + role
        + ", monthlyImageQuota="
        + monthlyImageQuota
        + ", allowedModels="
        + allowedModels
        + ", disabled="
        + disabled
        + "]";
  }
}
