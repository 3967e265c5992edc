package com.volcstudio.retention;

import com.volcstudio.settings.RuntimeSettings;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What the cleanup keeps.
 *
 * @param maxAge finished tasks older than this go; null keeps them whatever their age
 * @param maxBytes images (with thumbnails) beyond this many bytes go, oldest first; null for no
 *     budget
 */
record RetentionPolicy(@Nullable Duration maxAge, @Nullable Long maxBytes) {

  static final long BYTES_PER_GB = 1024L * 1024 * 1024;

  /**
   * The current runtime settings ({@code MAX_HISTORY_DAYS} and {@code MAX_STORAGE_GB}, or what was
   * set in the settings dialog since), read at every run so a change applies without a restart;
   * null or 0 switches that limit off.
   */
  static RetentionPolicy from(RuntimeSettings settings) {
    Integer days = settings.maxHistoryDays();
    Double gb = settings.maxStorageGb();
    return new RetentionPolicy(
        days != null && days > 0 ? Duration.ofDays(days) : null,
        gb != null && gb > 0 ? (long) (gb * BYTES_PER_GB) : null);
  }
}
