package com.volcstudio.upload;

import com.volcstudio.database.OwnedRows;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code upload} table. */
@Repository
class UploadRepository {

  private static final String COLUMNS = "id, mime_type, width, height, size_bytes, created_at";

  private final DatabaseClient db;

  UploadRepository(DatabaseClient db) {
    this.db = db;
  }

  Mono<Void> insert(Upload upload, String owner) {
    return db.sql(
            "INSERT INTO upload ("
                + COLUMNS
                + ", owner_id) VALUES (:id, :mime, :width, :height, :size, :created, :owner)")
        .bind("owner", owner)
        .bind("id", upload.uploadId())
        .bind("mime", upload.mimeType())
        .bind("width", upload.width())
        .bind("height", upload.height())
        .bind("size", upload.sizeBytes())
        .bind("created", OffsetDateTime.ofInstant(upload.createdAt(), ZoneOffset.UTC))
        .then();
  }

  /** The upload, if it is {@code owner}'s (null: anybody's). */
  Mono<Upload> findById(String id, @Nullable String owner) {
    return OwnedRows.sql(db, "SELECT " + COLUMNS + " FROM upload WHERE id = :id", owner)
        .bind("id", id)
        .map(UploadRepository::map)
        .one();
  }

  /** Those of the uploads that exist and are {@code owner}'s (null: anybody's). */
  Flux<Upload> findAll(Collection<String> ids, @Nullable String owner) {
    return ids.isEmpty()
        ? Flux.empty()
        : OwnedRows.sql(db, "SELECT " + COLUMNS + " FROM upload WHERE id IN (:ids)", owner)
            .bind("ids", ids)
            .map(UploadRepository::map)
            .all();
  }

  /** Whether the row was there to delete. */
  Mono<Boolean> delete(String id) {
    return db.sql("DELETE FROM upload WHERE id = :id")
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  /** Uploads older than {@code cutoff}, oldest first. */
  Flux<Upload> createdBefore(Instant cutoff) {
    return db.sql(
            "SELECT " + COLUMNS + " FROM upload WHERE created_at < :cutoff ORDER BY created_at, id")
        .bind("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
        .map(UploadRepository::map)
        .all();
  }

  Mono<Uploads.Usage> usage() {
    return db.sql(
            "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) AS bytes FROM upload")
        .map(row -> new Uploads.Usage(row.get("n", Long.class), row.get("bytes", Long.class)))
        .one();
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private static Upload map(Readable row) {
    return new Upload(
        row.get("id", String.class),
        row.get("mime_type", String.class),
        row.get("width", Integer.class),
        row.get("height", Integer.class),
        row.get("size_bytes", Long.class),
        row.get("created_at", OffsetDateTime.class).toInstant());
  }
}
