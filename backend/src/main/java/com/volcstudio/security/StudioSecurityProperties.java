package com.volcstudio.security;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Access settings of the app.
 *
 * @param authUsername with {@code authPassword}, turns login on ({@code APP_AUTH_USERNAME}); blank
 *     = no login
 * @param authPassword the password in plain text or as a Spring Security encoded value such as
 *     {@code {bcrypt}$2a$10$...} ({@code APP_AUTH_PASSWORD}); never logged
 * @param rateLimitEnabled whether submits are rate limited per client ({@code RATE_LIMIT_ENABLED})
 * @param rateLimitPerMinute submits one client may make per minute ({@code RATE_LIMIT_PER_MINUTE})
 * @param corsOrigins origins other than the app's own that may call {@code /api/**} from a browser
 *     ({@code APP_CORS_ORIGINS}, comma separated); empty = same origin only
 */
@ConfigurationProperties("security")
public record StudioSecurityProperties(
    @Nullable String authUsername,
    @Nullable String authPassword,
    @DefaultValue("true") boolean rateLimitEnabled,
    @DefaultValue("60") int rateLimitPerMinute,
    @DefaultValue List<String> corsOrigins) {

  public StudioSecurityProperties {
    if (rateLimitPerMinute < 1) {
      throw new IllegalArgumentException(
          "RATE_LIMIT_PER_MINUTE must be at least 1, not " + rateLimitPerMinute);
    }
    if (hasText(authUsername) != hasText(authPassword)) {
      // Half a configuration would silently leave the API open: refuse to start instead.
      throw new IllegalArgumentException(
          "APP_AUTH_USERNAME and APP_AUTH_PASSWORD must be set together");
    }
    corsOrigins = corsOrigins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList();
  }

  /** Login is on when both the user name and the password are set. */
  public boolean authEnabled() {
    return hasText(authUsername) && hasText(authPassword);
  }

  private static boolean hasText(@Nullable String value) {
    return value != null && !value.isBlank();
  }

  @Override
  public String toString() {
    return "StudioSecurityProperties[authUsername="
        + authUsername
        + ", authPassword="
        + (hasText(authPassword) ? "****" : "")
        + ", rateLimitEnabled="
        + rateLimitEnabled
        + ", rateLimitPerMinute="
        + rateLimitPerMinute
        + ", corsOrigins="
        + corsOrigins
        + "]";
  }
}
