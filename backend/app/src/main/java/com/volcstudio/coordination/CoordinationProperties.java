package com.volcstudio.coordination;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param redisUrl {@code redis://host:6379} ({@code rediss://} for TLS) shared by every replica
 *     ({@code REDIS_URL}); blank = this JVM alone
 */
@ConfigurationProperties("coordination")
public record CoordinationProperties(@Nullable String redisUrl) {

  public CoordinationProperties {
    if (redisUrl != null
        && !redisUrl.isBlank()
        && !(redisUrl.startsWith("redis://") || redisUrl.startsWith("rediss://"))) {
      throw new IllegalArgumentException(
          "REDIS_URL must start with redis:// or rediss:// (for example redis://127.0.0.1:6379)");
    }
  }

  public boolean shared() {
    return redisUrl != null && !redisUrl.isBlank();
  }

  @Override
  public String toString() {
    // A URL may hold a password (redis://:secret@host): never logged.
    return "CoordinationProperties[redisUrl=" + (shared() ? "(set)" : "") + "]";
  }
}
