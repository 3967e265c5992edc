package com.volcstudio.volcengine;

import org.jspecify.annotations.Nullable;

/**
 * An access key pair, optionally with an STS session token. {@link #toString()} never shows the
 * secret parts so a credentials object can be logged by accident without leaking.
 */
public record VolcCredentials(
    String accessKeyId, String secretAccessKey, @Nullable String sessionToken) {

  public VolcCredentials(String accessKeyId, String secretAccessKey) {
    this(accessKeyId, secretAccessKey, null);
  }

  /** The access key as the UI may show it: first four and last four characters. */
  public String maskedAccessKey() {
    return mask(accessKeyId);
  }

  static String mask(String key) {
    if (key.length() <= 8) {
      return "****";
    }
    return key.substring(0, 4) + "****" + key.substring(key.length() - 4);
  }

  @Override
  public String toString() {
    return "VolcCredentials[accessKeyId="
        + maskedAccessKey()
        + ", secretAccessKey=****"
        + (sessionToken == null ? "" : ", sessionToken=****")
        + "]";
  }
}
