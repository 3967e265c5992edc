package com.volcstudio.retention;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The {@code storage} part of {@code /api/v1/system/info}.
 *
 * @param images images stored
 * @param bytes bytes they and their thumbnails take
 * @param limitBytes the storage budget ({@code MAX_STORAGE_GB}), null when off
 * @param maxHistoryDays finished history kept this many days ({@code MAX_HISTORY_DAYS}), null when
 *     off
 * @param lastCleanupAt when the cleanup last ran, null before its first run
 * @param lastCleanupRemoved tasks that run removed
 * @param uploads uploaded reference images stored
 * @param uploadBytes bytes they take
 * @param lastCleanupRemovedUploads uploads the last run removed (no task referred to them)
 * @param databaseBytes the database file's size; null where it cannot be told
 * @param databaseDataBytes about how much of it is live data (the rest is space H2 reuses, and
 *     gives back when it compacts the file at a start where that is worth it)
 */
public record StorageStatus(
    long images,
    long bytes,
    @Nullable Long limitBytes,
    @Nullable Integer maxHistoryDays,
    @Nullable Instant lastCleanupAt,
    int lastCleanupRemoved,
    long uploads,
    long uploadBytes,
    int lastCleanupRemovedUploads,
    @Nullable Long databaseBytes,
    @Nullable Long databaseDataBytes) {}
