package com.volcstudio.image;

import com.volcstudio.database.OwnedRows;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** The {@code stored_image} table. */
@Repository
class ImageRepository {

  private static final String COLUMNS =
      "id, task_id, image_index, seed, width, height, mime_type, size_bytes, thumbnail_bytes, created_at, params_json";

  /** The same snake_case names as the API and the embedded metadata. */
  private static final JsonMapper JSON =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  private final DatabaseClient db;

  ImageRepository(DatabaseClient db) {
    this.db = db;
  }

  /** The row; {@link ImageStore#save} counts it in the usage ledger in the same transaction. */
  Mono<Void> insert(StoredImage image, String owner) {
    return db.sql(
            "INSERT INTO stored_image ("
                + COLUMNS
                + ", owner_id) VALUES (:id, :task, :idx, :seed, :w, :h, :mime, :size,"
                + " :thumbSize, :created, :params, :owner)")
        .bind("owner", owner)
        .bind("id", image.id())
        .bind("task", image.taskId())
        .bind("idx", image.index())
        .bind("seed", image.seed())
        .bind("w", image.width())
        .bind("h", image.height())
        .bind("mime", image.mimeType())
        .bind("size", image.sizeBytes())
        .bind("thumbSize", image.thumbnailBytes())
        .bind(
            "created",
            OffsetDateTime.ofInstant(
                image.createdAt().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC))
        .bind("params", JSON.writeValueAsString(image.parameters()))
        .then();
  }

  /** Returns the rows updated: 0 when the image is gone. */
  Mono<Long> recordThumbnail(String id, long bytes) {
    return db.sql("UPDATE stored_image SET thumbnail_bytes = :bytes WHERE id = :id")
        .bind("bytes", bytes)
        .bind("id", id)
        .fetch()
        .rowsUpdated();
  }

  /** Images whose thumbnail size was never recorded: not made yet, or stored before it was. */
  Flux<StoredImage> findWithoutThumbnail() {
    return db.sql("SELECT " + COLUMNS + " FROM stored_image WHERE thumbnail_bytes = 0")
        .map(ImageRepository::map)
        .all();
  }

  /** The image, if it is {@code owner}'s (null: anybody's). */
  Mono<StoredImage> findById(String id, @Nullable String owner) {
    return OwnedRows.sql(db, "SELECT " + COLUMNS + " FROM stored_image WHERE id = :id", owner)
        .bind("id", id)
        .map(ImageRepository::map)
        .one();
  }

  /** Those of the images that exist and are {@code owner}'s (null: anybody's). */
  Flux<StoredImage> findByIds(Collection<String> ids, @Nullable String owner) {
    return OwnedRows.sql(db, "SELECT " + COLUMNS + " FROM stored_image WHERE id IN (:ids)", owner)
        .bind("ids", ids)
        .map(ImageRepository::map)
        .all();
  }

  Flux<StoredImage> findByTask(String taskId) {
    return db.sql(
            "SELECT " + COLUMNS + " FROM stored_image WHERE task_id = :task ORDER BY image_index")
        .bind("task", taskId)
        .map(ImageRepository::map)
        .all();
  }

  /**
   * The images of several tasks in one query (a page of history is one round trip, not one per
   * task).
   */
  Flux<StoredImage> findByTasks(Collection<String> taskIds) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM stored_image WHERE task_id IN (:tasks) ORDER BY task_id, image_index")
        .bind("tasks", taskIds)
        .map(ImageRepository::map)
        .all();
  }

  /**
   * The bytes each of these tasks' images take with their thumbnails, by task id; tasks without
   * images are absent.
   */
  Mono<Map<String, Long>> bytesByTask(Collection<String> taskIds) {
    return db.sql(
            "SELECT task_id, CAST(SUM(size_bytes + thumbnail_bytes) AS BIGINT) AS bytes"
                + " FROM stored_image WHERE task_id IN (:tasks) GROUP BY task_id")
        .bind("tasks", taskIds)
        .map(row -> Map.entry(row.get("task_id", String.class), row.get("bytes", Long.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  /** How many images these tasks have stored. */
  Mono<Long> countByTasks(Collection<String> taskIds) {
    return db.sql("SELECT COUNT(*) AS n FROM stored_image WHERE task_id IN (:tasks)")
        .bind("tasks", taskIds)
        .map(row -> row.get("n", Long.class))
        .one();
  }

  /** From the recorded sizes: walking DATA_DIR would cost a stat per file on every call. */
  Mono<ImageStore.Usage> usage() {
    return db.sql(
            "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(size_bytes + thumbnail_bytes), 0) AS BIGINT) AS bytes FROM stored_image")
        .map(row -> new ImageStore.Usage(row.get("n", Long.class), row.get("bytes", Long.class)))
        .one();
  }

  private static StoredImage map(io.r2dbc.spi.Readable row) {
    return new StoredImage(
        row.get("id", String.class),
        row.get("task_id", String.class),
        row.get("image_index", Integer.class),
        row.get("seed", Long.class),
        row.get("width", Integer.class),
        row.get("height", Integer.class),
        row.get("mime_type", String.class),
        row.get("size_bytes", Long.class),
        row.get("thumbnail_bytes", Long.class),
        row.get("created_at", OffsetDateTime.class).toInstant(),
        JSON.readValue(row.get("params_json", String.class), ImageParameters.class));
  }
}
