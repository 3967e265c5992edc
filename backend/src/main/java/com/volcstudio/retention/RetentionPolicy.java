package com.volcstudio.retention;

import com.volcstudio.config.StudioProperties;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What the cleanup keeps.
 *
 * @param maxAge finished tasks older than this go; null keeps them whatever their age
 * @param maxBytes images (with thumbnails) beyond this many bytes go, oldest first; null for no budget
 */
record RetentionPolicy(@Nullable Duration maxAge, @Nullable Long maxBytes) {

  static final long BYTES_PER_GB = 1024L * 1024 * 1024;

  /** {@code MAX_HISTORY_DAYS} and {@code MAX_STORAGE_GB}; 0 (or less) switches that limit off. */
  static RetentionPolicy from(StudioProperties properties) {
    return new RetentionPolicy(
        properties.maxHistoryDays() > 0 ? Duration.ofDays(properties.maxHistoryDays()) : null,
        properties.maxStorageGb() > 0 ? properties.maxStorageGb() * BYTES_PER_GB : null);
  }
}
