package com.volcstudio.config;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * General settings of the app.
 *
 * @param dataDir where the database, images and thumbnails live ({@code DATA_DIR}); always absolute
 *     here, see {@link StudioEnvironmentPostProcessor}
 * @param debug extra diagnostics ({@code APP_DEBUG})
 * @param maxHistoryDays history older than this may be cleaned up ({@code MAX_HISTORY_DAYS})
 * @param maxStorageGb image storage budget ({@code MAX_STORAGE_GB})
 * @param monthlyImageQuota images per calendar month (UTC) the app will make ({@code
 *     MONTHLY_IMAGE_QUOTA}); null, 0 or less = no limit
 * @param maxConcurrentTasks tasks generating at the same time ({@code MAX_CONCURRENT_TASKS})
 * @param taskDeadline how long a task may run, each time it is started ({@code TASK_DEADLINE}):
 *     failures that cost nothing (quota answers, 5xx, timeouts, no connection) are tried again
 *     until then, and a task still running then fails with the last failure's explanation
 * @param backupDir where backups are written ({@code BACKUP_DIR}); empty: {@code DATA_DIR/backups}
 */
@ConfigurationProperties("studio")
public record StudioProperties(
    Path dataDir,
    @DefaultValue("false") boolean debug,
    @DefaultValue("30") int maxHistoryDays,
    @DefaultValue("100") int maxStorageGb,
    @Nullable Integer monthlyImageQuota,
    @DefaultValue("2") int maxConcurrentTasks,
    @DefaultValue("3h") Duration taskDeadline,
    @Nullable Path backupDir) {

  public StudioProperties {
    if (taskDeadline.compareTo(Duration.ofSeconds(1)) < 0 || taskDeadline.toDays() > 30) {
      throw new InvalidSettingException(
          "TASK_DEADLINE",
          "must be from 1s to 30 days, not "
              + taskDeadline.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
    }
  }

  public Path imagesDir() {
    return dataDir.resolve("images");
  }

  public Path thumbnailsDir() {
    return dataDir.resolve("thumbnails");
  }

  public Path backupDir() {
    return backupDir == null || backupDir.toString().isBlank()
        ? dataDir.resolve("backups")
        : backupDir.toAbsolutePath();
  }
}
