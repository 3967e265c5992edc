package com.volcstudio.settings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the settings store.
 *
 * @param secretKey master key for provider keys stored from the UI ({@code APP_SECRET_KEY}): 32
 *     bytes in base64 ({@code openssl rand -base64 32}) or any passphrase of at least 32
 *     characters. Empty = a random key generated once into {@code DATA_DIR/secret.key} (owner-only
 *     permissions). Never printed.
 */
@ConfigurationProperties("settings")
public record SettingsProperties(@DefaultValue("") String secretKey) {

  @Override
  public String toString() {
    return "SettingsProperties[secretKey=" + (secretKey.isBlank() ? "" : "****") + "]";
  }
}
