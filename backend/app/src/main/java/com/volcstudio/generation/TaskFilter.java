package com.volcstudio.generation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/**
 * Which tasks a list asks for. Only bound parameters reach SQL; the text added is fixed per field.
 *
 * @param statuses any of these statuses (empty = all)
 * @param model one model id, or null
 * @param query words that must appear in the prompt (case-insensitive), or null
 * @param favourite only favourites when true
 * @param batchId only the tasks of one batch, or null
 * @param from only tasks created at or after this instant, or null
 * @param to only tasks created before this instant, or null
 * @param among only tasks with these ids, or null: the prompt index's matches for {@code query}
 *     ({@link PromptIndex}), so that a rare word is looked up by id instead of read from every row
 * @param sourceImageId only the edits of this image, or null
 * @param owner only the tasks of this owner (account.Scope), or null: everybody's
 */
record TaskFilter(
    List<TaskStatus> statuses,
    @Nullable String model,
    @Nullable String query,
    boolean favourite,
    @Nullable String batchId,
    @Nullable Instant from,
    @Nullable Instant to,
    @Nullable List<String> among,
    @Nullable String sourceImageId,
    @Nullable String owner) {

  TaskFilter(
      List<TaskStatus> statuses,
      @Nullable String model,
      @Nullable String query,
      boolean favourite,
      @Nullable String batchId,
      @Nullable Instant from,
      @Nullable Instant to,
      @Nullable List<String> among) {
    this(statuses, model, query, favourite, batchId, from, to, among, null, null);
  }

  TaskFilter(
      List<TaskStatus> statuses,
      @Nullable String model,
      @Nullable String query,
      boolean favourite) {
    this(statuses, model, query, favourite, null);
  }

  TaskFilter(
      List<TaskStatus> statuses,
      @Nullable String model,
      @Nullable String query,
      boolean favourite,
      @Nullable String batchId) {
    this(statuses, model, query, favourite, batchId, null, null, null);
  }

  /** The same filter limited to tasks created in [from, to). */
  TaskFilter createdBetween(@Nullable Instant from, @Nullable Instant to) {
    return new TaskFilter(
        statuses, model, query, favourite, batchId, from, to, among, sourceImageId, owner);
  }

  /** The same filter limited to the edits of one image. */
  TaskFilter editsOf(@Nullable String imageId) {
    return new TaskFilter(
        statuses, model, query, favourite, batchId, from, to, among, imageId, owner);
  }

  /** The same filter limited to one owner's tasks; null: everybody's. */
  TaskFilter ownedBy(@Nullable String ownerKey) {
    return new TaskFilter(
        statuses, model, query, favourite, batchId, from, to, among, sourceImageId, ownerKey);
  }

  /**
   * The same filter limited to the tasks {@code ids}: all that can match its query. The query still
   * applies, so the answer is the same as without; only fewer rows are read.
   */
  TaskFilter among(List<String> ids) {
    return new TaskFilter(
        statuses,
        model,
        query,
        favourite,
        batchId,
        from,
        to,
        List.copyOf(ids),
        sourceImageId,
        owner);
  }

  /**
   * Which index a page should walk. H2 left to itself took the status index for the default history
   * and sorted every row, and a slow plan for a model or favourite filter (seconds at 100k tasks);
   * so the plan is named. A selective filter uses its own index; otherwise most rows match, and
   * walking the newest-first index and stopping after one page is fastest.
   */
  String pageIndexHint() {
    if (among != null) {
      // A few rows by primary key, then sorted: H2 picks that itself when not told otherwise.
      return "";
    }
    String selective = selectiveIndex();
    return " USE INDEX (" + (selective != null ? selective : newestIndex()) + ")";
  }

  /**
   * For a count: the selective index, or for a prompt search a plain table scan (it reads every row
   * anyway).
   */
  String countIndexHint() {
    if (among != null) {
      return "";
    }
    String selective = selectiveIndex();
    if (selective != null) {
      return " USE INDEX (" + selective + ")";
    }
    if (query != null) {
      return " USE INDEX ()";
    }
    return owner != null ? " USE INDEX (generation_task_owner_idx)" : "";
  }

  /** Newest first: one owner's tasks in their own index, everybody's in the table's. */
  private String newestIndex() {
    return owner != null ? "generation_task_owner_idx" : "generation_task_newest_idx";
  }

  private @Nullable String selectiveIndex() {
    if (batchId != null) {
      return "generation_task_batch_idx";
    }
    if (sourceImageId != null) {
      return "generation_task_source_idx";
    }
    if (favourite) {
      return "generation_task_favourite_idx";
    }
    if (model != null) {
      return "generation_task_model_idx";
    }
    // Pending, running, failed or cancelled tasks are few; completed ones are the bulk.
    return !statuses.isEmpty() && !statuses.contains(TaskStatus.COMPLETED)
        ? "generation_task_status_idx"
        : null;
  }

  /**
   * Whether this filter asks for every finished task and nothing else (the default history): then
   * its count is all rows (which H2 knows without a scan; one owner's: a walk of its index) less
   * the few pending or running ones.
   */
  boolean allFinished() {
    return Set.copyOf(statuses)
            .containsAll(List.of(TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED))
        && equals(new TaskFilter(statuses, null, null, false, null).ownedBy(owner));
  }

  void appendTo(StringBuilder sql) {
    if (!statuses.isEmpty()) {
      sql.append(" AND status IN (:statuses)");
    }
    if (model != null) {
      sql.append(" AND model = :model");
    }
    if (query != null) {
      sql.append(" AND prompt_lower LIKE :query ESCAPE '\\'");
    }
    if (favourite) {
      sql.append(" AND favourite = TRUE");
    }
    if (batchId != null) {
      sql.append(" AND batch_id = :batch");
    }
    if (sourceImageId != null) {
      sql.append(" AND source_image_id = :source");
    }
    if (among != null) {
      sql.append(among.isEmpty() ? " AND 1 = 0" : " AND id IN (:among)");
    }
    if (owner != null) {
      sql.append(" AND owner_id = :owner");
    }
    if (from != null) {
      sql.append(" AND created_at >= :from");
    }
    if (to != null) {
      sql.append(" AND created_at < :to");
    }
  }

  GenericExecuteSpec bindTo(GenericExecuteSpec spec) {
    if (!statuses.isEmpty()) {
      spec = spec.bind("statuses", statuses.stream().map(TaskStatus::wireName).toList());
    }
    if (model != null) {
      spec = spec.bind("model", model);
    }
    if (query != null) {
      String escaped =
          query
              .toLowerCase(Locale.ROOT)
              .replace("\\", "\\\\")
              .replace("%", "\\%")
              .replace("_", "\\_");
      spec = spec.bind("query", "%" + escaped + "%");
    }
    if (batchId != null) {
      spec = spec.bind("batch", batchId);
    }
    if (sourceImageId != null) {
      spec = spec.bind("source", sourceImageId);
    }
    if (among != null && !among.isEmpty()) {
      spec = spec.bind("among", among);
    }
    if (owner != null) {
      spec = spec.bind("owner", owner);
    }
    if (from != null) {
      spec = spec.bind("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
    }
    if (to != null) {
      spec = spec.bind("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
    }
    return spec;
  }
}
