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
 * @param allowedHosts the host names this studio answers to ({@code APP_ALLOWED_HOSTS}, comma
 *     separated): a request naming any other {@code Host} is refused, which is what stops a
 *     DNS-rebinding page; {@code .example.com} allows its subdomains too, {@code *} any host
 * @param trustedProxies addresses or CIDR ranges of the reverse proxies whose {@code
 *     X-Forwarded-For} and {@code X-Forwarded-Proto} are believed ({@code APP_TRUSTED_PROXIES});
 *     from anyone else those headers are ignored
 */
@ConfigurationProperties("security")
public record StudioSecurityProperties(
    @Nullable String authUsername,
    @Nullable String authPassword,
    @DefaultValue("true") boolean rateLimitEnabled,
    @DefaultValue("60") int rateLimitPerMinute,
    @DefaultValue List<String> corsOrigins,
    @DefaultValue({"localhost", "127.0.0.1", "::1"}) List<String> allowedHosts,
    @DefaultValue({"127.0.0.1", "::1"}) List<String> trustedProxies) {

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
    allowedHosts =
        allowedHosts.stream()
            .map(host -> host.strip().toLowerCase(java.util.Locale.ROOT))
            .map(
                host ->
                    host.startsWith("[") && host.endsWith("]")
                        ? host.substring(1, host.length() - 1)
                        : host)
            .filter(host -> !host.isEmpty())
            .toList();
    trustedProxies = trustedProxies.stream().map(String::strip).filter(p -> !p.isEmpty()).toList();
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
        + ", allowedHosts="
        + allowedHosts
        + ", trustedProxies="
        + trustedProxies
        + "]";
  }
}
