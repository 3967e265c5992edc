package com.volcstudio.settings;

import com.volcstudio.connection.Providers;
import com.volcstudio.connection.StudioMode;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/v1/settings}: the mode, which keys are configured and where from (masked), the
 * runtime settings.
 */
record SettingsView(StudioMode mode, Credentials credentials, RuntimeSettings runtime) {

  record Credentials(Volcengine volcengine, Ark ark) {}

  record Volcengine(
      boolean configured, Providers.@Nullable Source source, @Nullable String accessKeyMasked) {}

  record Ark(
      boolean configured, Providers.@Nullable Source source, @Nullable String apiKeyMasked) {}

  static SettingsView of(Providers.Active active, RuntimeSettings runtime) {
    // In demo mode the connections hold the emulator's throw-away keys: nothing the user
    // configured.
    boolean live = active.mode() == StudioMode.LIVE;
    var visual = live ? active.visual().orElse(null) : null;
    var ark = live ? active.ark().orElse(null) : null;
    return new SettingsView(
        active.mode(),
        new Credentials(
            new Volcengine(
                visual != null,
                visual == null ? null : active.visualSource(),
                visual == null ? null : visual.credentials().maskedAccessKey()),
            new Ark(
                ark != null,
                ark == null ? null : active.arkSource(),
                ark == null ? null : maskApiKey(ark.apiKey()))),
        runtime);
  }

  /** Only the last four characters, and only of a key long enough that they give nothing away. */
  static String maskApiKey(String key) {
    return key.length() <= 12 ? "****" : "****" + key.substring(key.length() - 4);
  }
}
