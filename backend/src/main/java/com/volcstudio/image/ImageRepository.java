package com.volcstudio.image;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code stored_image} table. */
@Repository
class ImageRepository {

  private static final String COLUMNS = "id, task_id, image_index, seed, width, height, mime_type, size_bytes, created_at";

  private final DatabaseClient db;

  ImageRepository(DatabaseClient db) {
    this.db = db;
  }

  Mono<Void> insert(StoredImage image) {
    return db.sql("INSERT INTO stored_image (" + COLUMNS + ") VALUES (:id, :task, :idx, :seed, :w, :h, :mime, :size, :created)")
        .bind("id", image.id()).bind("task", image.taskId()).bind("idx", image.index()).bind("seed", image.seed())
        .bind("w", image.width()).bind("h", image.height()).bind("mime", image.mimeType())
        .bind("size", image.sizeBytes()).bind("created", OffsetDateTime.ofInstant(image.createdAt().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC))
        .then();
  }

  Mono<StoredImage> findById(String id) {
    return db.sql("SELECT " + COLUMNS + " FROM stored_image WHERE id = :id").bind("id", id).map(ImageRepository::map).one();
  }

  Flux<StoredImage> findByTask(String taskId) {
    return db.sql("SELECT " + COLUMNS + " FROM stored_image WHERE task_id = :task ORDER BY image_index")
        .bind("task", taskId).map(ImageRepository::map).all();
  }

  /** The images of several tasks in one query (a page of history is one round trip, not one per task). */
  Flux<StoredImage> findByTasks(Collection<String> taskIds) {
    return db.sql("SELECT " + COLUMNS + " FROM stored_image WHERE task_id IN (:tasks) ORDER BY task_id, image_index")
        .bind("tasks", taskIds).map(ImageRepository::map).all();
  }

  Mono<Long> countCreatedSince(Instant since) {
    return db.sql("SELECT COUNT(*) AS n FROM stored_image WHERE created_at >= :since")
        .bind("since", OffsetDateTime.ofInstant(since, ZoneOffset.UTC))
        .map(row -> row.get("n", Long.class)).one();
  }

  private static StoredImage map(io.r2dbc.spi.Readable row) {
    return new StoredImage(
        row.get("id", String.class), row.get("task_id", String.class), row.get("image_index", Integer.class),
        row.get("seed", Long.class), row.get("width", Integer.class), row.get("height", Integer.class),
        row.get("mime_type", String.class), row.get("size_bytes", Long.class),
        row.get("created_at", OffsetDateTime.class).toInstant());
  }
}
