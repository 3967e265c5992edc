package com.volcstudio.settings;

import com.volcstudio.config.StudioProperties;
import com.volcstudio.volcengine.ArkProperties;
import com.volcstudio.volcengine.VolcProperties;
import org.jspecify.annotations.Nullable;

/**
 * Settings that apply without a restart: the environment's values, overridden by what was changed
 * through {@code PATCH /api/v1/settings}.
 *
 * @param volcQps visual API generation calls per second ({@code VOLC_QPS})
 * @param volcConcurrency visual API generation calls in flight ({@code VOLC_CONCURRENCY})
 * @param arkRpm Ark image requests per minute ({@code ARK_RPM})
 * @param arkConcurrency Ark image requests in flight ({@code ARK_CONCURRENCY})
 * @param maxConcurrentTasks tasks generating at the same time ({@code MAX_CONCURRENT_TASKS})
 * @param defaultModel model of a request that names none; null = the catalog's first
 * @param defaultWidth width of a request that gives no size, when the model can make it; null = the
 *     model's default
 * @param defaultHeight height, likewise
 * @param defaultNumImages images of a request that gives no count, when the model allows it; null =
 *     1
 * @param maxHistoryDays history older than this may be cleaned up ({@code MAX_HISTORY_DAYS}); null
 *     = kept
 * @param maxStorageGb image storage budget ({@code MAX_STORAGE_GB}); null = no budget
 * @param monthlyImageQuota images per calendar month (UTC) ({@code MONTHLY_IMAGE_QUOTA}); null = no
 *     limit
 */
public record RuntimeSettings(
    double volcQps,
    int volcConcurrency,
    int arkRpm,
    int arkConcurrency,
    int maxConcurrentTasks,
    @Nullable String defaultModel,
    @Nullable Integer defaultWidth,
    @Nullable Integer defaultHeight,
    @Nullable Integer defaultNumImages,
    @Nullable Integer maxHistoryDays,
    @Nullable Double maxStorageGb,
    @Nullable Integer monthlyImageQuota) {

  /** What the environment (.env) says; 0 or less for the retention settings means "none". */
  static RuntimeSettings fromEnvironment(
      StudioProperties studio, VolcProperties volc, ArkProperties ark) {
    return new RuntimeSettings(
        volc.qps(),
        volc.concurrency(),
        ark.rpm(),
        ark.concurrency(),
        studio.maxConcurrentTasks(),
        null,
        null,
        null,
        null,
        studio.maxHistoryDays() > 0 ? studio.maxHistoryDays() : null,
        studio.maxStorageGb() > 0 ? (double) studio.maxStorageGb() : null,
        studio.monthlyImageQuota() != null && studio.monthlyImageQuota() > 0
            ? studio.monthlyImageQuota()
            : null);
  }
}
