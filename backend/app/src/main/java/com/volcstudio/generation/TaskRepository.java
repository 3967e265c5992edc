package com.volcstudio.generation;

import com.volcstudio.catalog.GenerationParams;
import com.volcstudio.database.Dialect;
import com.volcstudio.database.OwnedRows;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code generation_task} table. Every state change is a single UPDATE committed before the
 * change is announced, so what a client is told is always what a restart will find.
 */
@Repository
class TaskRepository {

  private static final String COLUMNS =
      "id, status, stage, progress, model, prompt, negative_prompt, width, height,"
          + " num_images, seed, steps, scale, options_json, attempts, favourite, error_code, error_upstream_message, error_message_zh,"
          + " error_message_en, error_retryable, created_at, started_at, completed_at, reference_ids_json, batch_id,"
          + " operation, source_image_id, edit_json, sequential, owner_id";

  /** Finished tasks that are not favourites: the retention cleanup may remove them. */
  private static final String REMOVABLE =
      "favourite = FALSE AND status IN ('completed', 'failed', 'cancelled')";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<Map<String, Boolean>> OPTIONS = new TypeReference<>() {};
  private static final TypeReference<List<String>> IDS = new TypeReference<>() {};

  private final DatabaseClient db;
  private final Dialect dialect;
  private final PromptIndex index;

  TaskRepository(DatabaseClient db, Dialect dialect, PromptIndex index) {
    this.dialect = dialect;
    this.db = db;
    this.index = index;
  }

  /**
   * Where a task came from: the client's Idempotency-Key and a fingerprint of its request, and the
   * batch it belongs to; all optional.
   */
  record Origin(
      @Nullable String idempotencyKey, @Nullable String fingerprint, @Nullable String batchId) {
    static final Origin NONE = new Origin(null, null, null);
  }

  /**
   * One INSERT, so a task never exists without its Idempotency-Key (a retried submit must find it).
   * {@link TaskService} counts it in the usage ledger in the same transaction and tells the search
   * index.
   */
  Mono<Void> insert(Task t, Origin origin) {
    GenerationParams p = t.params();
    GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO generation_task (id, status, stage, progress, model, prompt,"
                    + " negative_prompt, width, height, num_images, seed, steps, scale, options_json, attempts, created_at,"
                    + " idempotency_key, request_fingerprint, batch_id, reference_ids_json, operation, source_image_id,"
                    + " edit_json, sequential, owner_id)"
                    + " VALUES (:id, :status, :stage, :progress, :model, :prompt, :negative, :width, :height, :n, :seed,"
                    + " :steps, :scale, :options, 0, :created, :key, :fp, :batch, :refs, :operation, :source, :edit, :sequential,"
                    + " :owner)")
            .bind("id", t.id())
            .bind("status", t.status().wireName())
            .bind("stage", t.stage().wireName())
            .bind("progress", t.progress())
            .bind("model", p.model())
            .bind("prompt", p.prompt())
            .bind("negative", p.negativePrompt())
            .bind("width", p.width())
            .bind("height", p.height())
            .bind("n", p.numImages())
            .bind("seed", p.seed())
            .bind("options", JSON.writeValueAsString(p.options()))
            .bind("created", utc(t.createdAt()))
            .bind("refs", JSON.writeValueAsString(p.referenceImageIds()))
            .bind("operation", p.operation())
            .bind("sequential", p.sequential())
            .bind("owner", t.owner());
    spec = bindNullable(spec, "steps", p.steps(), Integer.class);
    spec = bindNullable(spec, "scale", p.scale(), Double.class);
    spec = bindNullable(spec, "key", origin.idempotencyKey(), String.class);
    spec = bindNullable(spec, "fp", origin.fingerprint(), String.class);
    spec = bindNullable(spec, "batch", origin.batchId(), String.class);
    spec = bindNullable(spec, "source", p.sourceImageId(), String.class);
    spec =
        bindNullable(
            spec,
            "edit",
            p.makesEdit()
                ? JSON.writeValueAsString(
                    new EditColumns(p.sourceUploadId(), p.maskUploadId(), p.expand()))
                : null,
            String.class);
    return spec.then();
  }

  /** What {@code edit_json} holds: the uploads an edit reads, and an outpaint's extension. */
  private record EditColumns(
      @Nullable String sourceUploadId,
      @Nullable String maskUploadId,
      GenerationParams.@Nullable Expand expand) {

    static final EditColumns NONE = new EditColumns(null, null, null);

    static EditColumns read(@Nullable String json) {
      return json == null ? NONE : JSON.readValue(json, EditColumns.class);
    }

    /** The uploads the edit reads, in the order it sends them. */
    Stream<String> uploads() {
      return Stream.of(sourceUploadId, maskUploadId).filter(Objects::nonNull);
    }
  }

  /** The task an Idempotency-Key created, and the fingerprint of the request that created it. */
  Mono<Map.Entry<Task, String>> findByIdempotencyKey(String key) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + ", request_fingerprint FROM generation_task WHERE idempotency_key = :key")
        .bind("key", key)
        .map(row -> Map.entry(map(row), orEmpty(row.get("request_fingerprint", String.class))))
        .one();
  }

  Mono<Task> findById(String id) {
    return db.sql("SELECT " + COLUMNS + " FROM generation_task WHERE id = :id")
        .bind("id", id)
        .map(TaskRepository::map)
        .one();
  }

  /** The owners of those of {@code ids} that exist, by task id. */
  Mono<Map<String, String>> ownersOf(Collection<String> ids) {
    if (ids.isEmpty()) {
      return Mono.just(Map.of());
    }
    return db.sql("SELECT id, owner_id FROM generation_task WHERE id IN (:ids)")
        .bind("ids", List.copyOf(ids))
        .map(row -> Map.entry(row.get("id", String.class), row.get("owner_id", String.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  /** A batch's tasks in the order they were submitted. */
  Flux<Task> findByBatch(String batchId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM generation_task WHERE batch_id = :batch ORDER BY created_at, id")
        .bind("batch", batchId)
        .map(TaskRepository::map)
        .all();
  }

  /** Tasks a previous run left unfinished, oldest first: they are resumed at start-up. */
  Flux<Task> findUnfinished() {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM generation_task WHERE status IN ('pending', 'running') ORDER BY created_at")
        .map(TaskRepository::map)
        .all();
  }

  /** Removable tasks created before {@code cutoff}, oldest first, at most {@code limit}. */
  Flux<String> removableCreatedBefore(Instant cutoff, int limit) {
    return db.sql(
            "SELECT id FROM generation_task WHERE "
                + REMOVABLE
                + " AND created_at < :cutoff ORDER BY created_at, id LIMIT :n")
        .bind("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
        .bind("n", limit)
        .map(row -> row.get("id", String.class))
        .all();
  }

  /**
   * Removable tasks after {@code after} (all when null), oldest first, at most {@code limit}: each
   * as the position to go on from.
   */
  Flux<TaskCursor> removableAfter(@Nullable TaskCursor after, int limit) {
    GenericExecuteSpec spec =
        db.sql(
                "SELECT id, created_at FROM generation_task WHERE "
                    + REMOVABLE
                    + (after == null
                        ? ""
                        : " AND (created_at > :cursorAt OR (created_at = :cursorAt AND id > :cursorId))")
                    + " ORDER BY created_at, id LIMIT :n")
            .bind("n", limit);
    if (after != null) {
      spec = spec.bind("cursorAt", utc(after.createdAt())).bind("cursorId", after.id());
    }
    return spec.map(
            row ->
                new TaskCursor(
                    instant(row.get("created_at", OffsetDateTime.class)),
                    row.get("id", String.class)))
        .all();
  }

  /**
   * Whether a pending or running task names the upload among its references (the status index, then
   * a LIKE on those few rows). Upload ids are validated UUIDs, so the pattern holds no wildcard but
   * its own.
   */
  Mono<Boolean> unfinishedTaskReferences(String uploadId) {
    return db.sql(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM generation_task WHERE status IN ('pending', 'running')"
                + " AND (reference_ids_json LIKE :quoted OR edit_json LIKE :quoted)) AS s")
        // How an id appears in reference_ids_json: a JSON string.
        .bind("quoted", "%\"" + uploadId + "\"%")
        .map(row -> row.get("n", Long.class) > 0)
        .one();
  }

  /**
   * The reference lists of every task that has one, whatever its status: one pass over the tasks
   * instead of one per upload.
   */
  Flux<List<String>> referenceLists() {
    return db.sql(
            "SELECT reference_ids_json, edit_json FROM generation_task"
                + " WHERE reference_ids_json <> '[]' OR edit_json IS NOT NULL")
        .map(
            row ->
                Stream.concat(
                        JSON.readValue(row.get("reference_ids_json", String.class), IDS).stream(),
                        EditColumns.read(row.get("edit_json", String.class)).uploads())
                    .toList())
        .all();
  }

  /** The images each pending and running task asks for, by task id: {@code owner}'s, or all. */
  Mono<Map<String, Integer>> unfinishedImageCounts(@Nullable String owner) {
    String sql =
        "SELECT id, num_images FROM generation_task WHERE status IN ('pending', 'running')";
    return OwnedRows.sql(db, sql, owner)
        .map(row -> Map.entry(row.get("id", String.class), row.get("num_images", Integer.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  /**
   * The writes of a task's run name the fence it was claimed under ({@link TaskClaims}): once
   * another process has claimed the task, they change nothing.
   */
  private static final String FENCED = " AND claim_fence = :fence";

  /**
   * @return whether the run still holds its claim (and the task is now running)
   */
  Mono<Boolean> markRunning(String id, long fence, Instant now) {
    return changed(
        db.sql(
                "UPDATE generation_task SET status = 'running', stage = 'submitting', progress = 5,"
                    + " attempts = attempts + 1, started_at = COALESCE(started_at, :now) WHERE id = :id AND status IN ('pending', 'running')"
                    + FENCED)
            .bind("id", id)
            .bind("fence", fence)
            .bind("now", utc(now)));
  }

  /**
   * Progress only moves forward: an image being stored reports a figure below the one the next
   * image's call, already under way, may have reported.
   */
  Mono<Void> updateProgress(String id, long fence, TaskStage stage, int progress) {
    return db.sql(
            "UPDATE generation_task SET stage = :stage, progress = GREATEST(progress, :progress)"
                + " WHERE id = :id AND status = 'running'"
                + FENCED)
        .bind("id", id)
        .bind("fence", fence)
        .bind("stage", stage.wireName())
        .bind("progress", progress)
        .then();
  }

  /**
   * @return whether the task was still running and is now completed
   */
  Mono<Boolean> complete(String id, long fence, Instant now) {
    return changed(
        db.sql(
                "UPDATE generation_task SET status = 'completed', stage = 'done', progress = 100,"
                    + " completed_at = :now WHERE id = :id AND status = 'running'"
                    + FENCED)
            .bind("id", id)
            .bind("fence", fence)
            .bind("now", utc(now)));
  }

  /**
   * Completes a task some of whose images failed alone (an image set's {@code partial_failed}):
   * completed with the images it has, the failure kept as its note.
   */
  Mono<Boolean> completePartly(String id, long fence, TaskError note, Instant now) {
    return changed(
        bindError(
            db.sql(
                    "UPDATE generation_task SET status = 'completed', stage = 'done', progress = 100,"
                        + " completed_at = :now, error_code = :code, error_upstream_message = :upstream,"
                        + " error_message_zh = :zh, error_message_en = :en, error_retryable = FALSE"
                        + " WHERE id = :id AND status = 'running'"
                        + FENCED)
                .bind("id", id)
                .bind("fence", fence)
                .bind("now", utc(now)),
            note));
  }

  /**
   * The error's columns ({@code :code}, {@code :upstream}, {@code :zh}, {@code :en}), cut to size.
   */
  private static GenericExecuteSpec bindError(GenericExecuteSpec spec, TaskError error) {
    return spec.bind("code", error.code())
        .bind("upstream", truncate(error.upstreamMessage(), 2000))
        .bind("zh", truncate(error.messageZh(), 1000))
        .bind("en", truncate(error.messageEn(), 1000));
  }

  /**
   * @return whether the task was still pending or running and is now cancelled
   */
  Mono<Boolean> cancel(String id, Instant now) {
    return changed(
        db.sql(
                "UPDATE generation_task SET status = 'cancelled', stage = 'done', completed_at = :now"
                    + " WHERE id = :id AND status IN ('pending', 'running')")
            .bind("id", id)
            .bind("now", utc(now)));
  }

  /**
   * Puts a failed or cancelled task back in the queue; its stored images are kept and not made
   * again.
   */
  Mono<Boolean> requeue(String id) {
    return db.sql(
            "UPDATE generation_task SET status = 'pending', stage = 'queued', progress = 0, completed_at = NULL,"
                + " claimed_by = NULL, lease_until = NULL, error_code = NULL, error_upstream_message = NULL, error_message_zh = NULL, error_message_en = NULL,"
                + " error_retryable = NULL WHERE id = :id AND status IN ('failed', 'cancelled')")
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  Mono<Boolean> delete(String id) {
    return db.sql(
            "DELETE FROM generation_task WHERE id = :id AND status NOT IN ('pending', 'running')")
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .flatMap(n -> n > 0 ? index.remove(id).thenReturn(true) : Mono.just(false));
  }

  Mono<Boolean> setFavourite(String id, boolean favourite) {
    return db.sql("UPDATE generation_task SET favourite = :fav WHERE id = :id")
        .bind("id", id)
        .bind("fav", favourite)
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  /** Newest first, keyset-paged: tasks created before the cursor (created_at, id). */
  Flux<Task> page(TaskFilter filter, @Nullable TaskCursor after, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + COLUMNS
                + " FROM generation_task"
                + dialect.indexHint(filter.pageIndexHint())
                + " WHERE 1 = 1");
    filter.appendTo(sql);
    if (after != null) {
      sql.append(" AND (created_at < :cursorAt OR (created_at = :cursorAt AND id < :cursorId))");
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
    GenericExecuteSpec spec = filter.bindTo(db.sql(sql.toString())).bind("limit", limit);
    if (after != null) {
      spec = spec.bind("cursorAt", utc(after.createdAt())).bind("cursorId", after.id());
    }
    return spec.map(TaskRepository::map).all();
  }

  /**
   * How many tasks match, counting at most {@code cap}: the answer is {@code cap} when there are
   * that many or more. A prompt search cannot use an index, so an exact count reads every row (a
   * few hundred milliseconds at 100k tasks); stopping at {@code cap} matches reads only until then.
   */
  Mono<Long> countUpTo(TaskFilter filter, long cap) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM generation_task"
                + dialect.indexHint(filter.countIndexHint())
                + " WHERE 1 = 1");
    filter.appendTo(sql);
    sql.append(" LIMIT :cap) AS s");
    return filter
        .bindTo(db.sql(sql.toString()))
        .bind("cap", cap)
        .map(row -> row.get("n", Long.class))
        .one();
  }

  /**
   * How many tasks the table holds. H2 keeps a table's row count; PostgreSQL would read every row,
   * so there its triggers keep the counts per owner and status (V23).
   */
  static String countAllSql(Dialect dialect) {
    return dialect.h2()
        ? "SELECT COUNT(*) AS n FROM generation_task"
        : "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM generation_task_count";
  }

  Mono<Long> count(TaskFilter filter) {
    if (filter.allFinished() && !dialect.h2()) {
      List<String> statuses = filter.statuses().stream().map(TaskStatus::wireName).toList();
      String owner = filter.owner();
      GenericExecuteSpec spec =
          db.sql(
                  "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM generation_task_count WHERE status IN (:statuses)"
                      + (owner == null ? "" : " AND owner_id = :owner"))
              .bind("statuses", statuses);
      if (owner != null) {
        spec = spec.bind("owner", owner);
      }
      return spec.map(row -> ((Number) row.get("n")).longValue()).one();
    }
    if (filter.allFinished()) {
      List<String> others =
          Arrays.stream(TaskStatus.values())
              .filter(s -> !filter.statuses().contains(s))
              .map(TaskStatus::wireName)
              .toList();
      String owner = filter.owner();
      String all =
          owner == null
              ? "SELECT COUNT(*) FROM generation_task"
              : "SELECT COUNT(*) FROM generation_task"
                  + dialect.indexHint(" USE INDEX (generation_task_owner_idx)")
                  + " WHERE owner_id = :owner";
      // One statement, not two zipped: every page of the default history asks for this count, and
      // each statement is a pool acquisition and a hop to a database thread and back (on two cores
      // the second one doubled the count's cost, 0.39 ms against 0.16 ms, at 100k tasks).
      GenericExecuteSpec spec =
          others.isEmpty()
              ? db.sql("SELECT (" + all + ") AS n")
              : db.sql(
                      "SELECT ("
                          + all
                          + ") - (SELECT COUNT(*) FROM generation_task WHERE status IN (:others)"
                          + (owner == null ? "" : " AND owner_id = :owner")
                          + ") AS n")
                  .bind("others", others);
      if (owner != null) {
        spec = spec.bind("owner", owner);
      }
      return spec.map(row -> row.get("n", Long.class)).one();
    }
    StringBuilder sql =
        new StringBuilder(
            "SELECT COUNT(*) AS n FROM generation_task"
                + dialect.indexHint(filter.countIndexHint())
                + " WHERE 1 = 1");
    filter.appendTo(sql);
    return filter.bindTo(db.sql(sql.toString())).map(row -> row.get("n", Long.class)).one();
  }

  Flux<Task> offsetPage(TaskFilter filter, long offset, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + COLUMNS
                + " FROM generation_task"
                + dialect.indexHint(filter.pageIndexHint())
                + " WHERE 1 = 1");
    filter.appendTo(sql);
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset");
    return filter
        .bindTo(db.sql(sql.toString()))
        .bind("limit", limit)
        .bind("offset", offset)
        .map(TaskRepository::map)
        .all();
  }

  /**
   * @return whether the task was still pending or running and has now failed
   */
  Mono<Boolean> fail(String id, long fence, TaskError error, Instant now) {
    GenericExecuteSpec change =
        db.sql(
                "UPDATE generation_task SET status = 'failed', stage = 'done', completed_at = :now, error_code = :code,"
                    + " error_upstream_message = :upstream, error_message_zh = :zh, error_message_en = :en, error_retryable = :retryable"
                    + " WHERE id = :id AND status IN ('pending', 'running')"
                    + FENCED)
            .bind("id", id)
            .bind("fence", fence)
            .bind("now", utc(now))
            .bind("retryable", error.retryable());
    return changed(bindError(change, error));
  }

  /** Whether the statement changed a row (a status change finds none when the task moved on). */
  private static Mono<Boolean> changed(GenericExecuteSpec change) {
    return change.fetch().rowsUpdated().map(n -> n > 0);
  }

  private static Task map(Readable row) {
    String errorCode = row.get("error_code", String.class);
    TaskError error =
        errorCode == null
            ? null
            : new TaskError(
                errorCode,
                orEmpty(row.get("error_upstream_message", String.class)),
                orEmpty(row.get("error_message_zh", String.class)),
                orEmpty(row.get("error_message_en", String.class)),
                Boolean.TRUE.equals(row.get("error_retryable", Boolean.class)));
    EditColumns edit = EditColumns.read(row.get("edit_json", String.class));
    return new Task(
        row.get("id", String.class),
        TaskStatus.fromWire(row.get("status", String.class)),
        TaskStage.fromWire(row.get("stage", String.class)),
        row.get("progress", Integer.class),
        new GenerationParams(
            row.get("model", String.class),
            row.get("prompt", String.class),
            row.get("negative_prompt", String.class),
            row.get("width", Integer.class),
            row.get("height", Integer.class),
            row.get("num_images", Integer.class),
            row.get("seed", Long.class),
            row.get("steps", Integer.class),
            row.get("scale", Double.class),
            JSON.readValue(row.get("options_json", String.class), OPTIONS),
            JSON.readValue(row.get("reference_ids_json", String.class), IDS),
            row.get("operation", String.class),
            row.get("source_image_id", String.class),
            edit.sourceUploadId(),
            edit.maskUploadId(),
            edit.expand(),
            Boolean.TRUE.equals(row.get("sequential", Boolean.class))),
        row.get("attempts", Integer.class),
        Boolean.TRUE.equals(row.get("favourite", Boolean.class)),
        error,
        instant(row.get("created_at", OffsetDateTime.class)),
        instantOrNull(row.get("started_at", OffsetDateTime.class)),
        instantOrNull(row.get("completed_at", OffsetDateTime.class)),
        row.get("batch_id", String.class),
        row.get("owner_id", String.class));
  }

  private static <T> GenericExecuteSpec bindNullable(
      GenericExecuteSpec spec, String name, @Nullable T value, Class<T> type) {
    return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
  }

  private static Instant instant(@Nullable OffsetDateTime time) {
    if (time == null) {
      throw new IllegalStateException("created_at is NOT NULL");
    }
    return time.toInstant();
  }

  private static @Nullable Instant instantOrNull(@Nullable OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  private static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
