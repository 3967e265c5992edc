package com.volcstudio.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When the cleanup runs. What it keeps is {@code MAX_HISTORY_DAYS} and {@code MAX_STORAGE_GB}
 * ({@link com.volcstudio.config.StudioProperties}).
 *
 * @param interval time between two cleanups ({@code RETENTION_INTERVAL}); the first runs a minute
 *     after start-up, or after one interval if that is shorter
 */
@ConfigurationProperties("retention")
public record RetentionProperties(@DefaultValue("1h") Duration interval) {

  public RetentionProperties {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("RETENTION_INTERVAL must be positive, not " + interval);
    }
  }
}
