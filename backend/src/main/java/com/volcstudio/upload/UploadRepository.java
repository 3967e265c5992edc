package com.volcstudio.upload;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
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

  Mono<Void> insert(Upload upload) {
    return db.sql(
            "INSERT INTO upload ("
                + COLUMNS
                + ") VALUES (:id, :mime, :width, :height, :size, :created)")
        .bind("id", upload.uploadId())
        .bind("mime", upload.mimeType())
        .bind("width", upload.width())
        .bind("height", upload.height())
        .bind("size", upload.sizeBytes())
        .bind("created", OffsetDateTime.ofInstant(upload.createdAt(), ZoneOffset.UTC))
        .then();
  }

  Mono<Upload> findById(String id) {
    return db.sql("SELECT " + COLUMNS + " FROM upload WHERE id = :id")
        .bind("id", id)
        .map(UploadRepository::map)
        .one();
  }

  Flux<Upload> findAll(Collection<String> ids) {
    return ids.isEmpty()
        ? Flux.empty()
        : db.sql("SELECT " + COLUMNS + " FROM upload WHERE id IN (:ids)")
            .bind("ids", ids)
            .map(UploadRepository::map)
            .all();
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
