package com.volcstudio.settings;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code PUT /api/v1/settings/credentials/{provider}} (and, optionally, of its {@code
 * /test}): {@code access_key} and {@code secret_key} for VolcEngine, {@code api_key} for Ark.
 * Write-only.
 */
record CredentialsRequest(
    @Nullable String accessKey, @Nullable String secretKey, @Nullable String apiKey) {

  /** Never the keys themselves: a request object that reaches a log must not carry them there. */
  @Override
  public String toString() {
    return "CredentialsRequest[accessKey="
        + (accessKey == null ? "null" : "****")
        + ", secretKey="
        + (secretKey == null ? "null" : "****")
        + ", apiKey="
        + (apiKey == null ? "null" : "****")
        + "]";
  }
}
