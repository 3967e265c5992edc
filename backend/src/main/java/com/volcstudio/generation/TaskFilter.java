package com.volcstudio.generation;

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
 */
record TaskFilter(List<TaskStatus> statuses, @Nullable String model, @Nullable String query, boolean favourite,
    @Nullable String batchId) {

  TaskFilter(List<TaskStatus> statuses, @Nullable String model, @Nullable String query, boolean favourite) {
    this(statuses, model, query, favourite, null);
  }

  /**
   * Which index a newest-first page should walk. Asking for completed tasks (the bulk of them) and
   * without a model, favourite or batch filter, most rows usually match: walking the newest-first index and stopping after a page beats H2's own choice (the
   * status index, then a sort of every match).
   */
  String pageIndexHint() {
    return broad() ? " USE INDEX (generation_task_newest_idx)" : "";
  }

  /** A prompt search reads every row anyway: a table scan, not a secondary index and a row lookup per entry. */
  String countIndexHint() {
    return broad() && query != null ? " USE INDEX ()" : "";
  }

  private boolean broad() {
    return (statuses.isEmpty() || statuses.contains(TaskStatus.COMPLETED)) && model == null && !favourite && batchId == null;
  }

  /**
   * Whether this filter asks for every finished task and nothing else (the default history): then its
   * count is all rows (which H2 knows without a scan) less the few pending or running ones.
   */
  boolean allFinished() {
    return Set.copyOf(statuses).containsAll(List.of(TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED))
        && equals(new TaskFilter(statuses, null, null, false, null));
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
  }

  GenericExecuteSpec bindTo(GenericExecuteSpec spec) {
    if (!statuses.isEmpty()) {
      spec = spec.bind("statuses", statuses.stream().map(TaskStatus::wireName).toList());
    }
    if (model != null) {
      spec = spec.bind("model", model);
    }
    if (query != null) {
      String escaped = query.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
      spec = spec.bind("query", "%" + escaped + "%");
    }
    if (batchId != null) {
      spec = spec.bind("batch", batchId);
    }
    return spec;
  }
}
