package com.volcstudio.generation;

import java.util.List;
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

  void appendTo(StringBuilder sql) {
    if (!statuses.isEmpty()) {
      sql.append(" AND status IN (:statuses)");
    }
    if (model != null) {
      sql.append(" AND model = :model");
    }
    if (query != null) {
      sql.append(" AND LOWER(prompt) LIKE :query ESCAPE '\\'");
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
      String escaped = query.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
      spec = spec.bind("query", "%" + escaped + "%");
    }
    if (batchId != null) {
      spec = spec.bind("batch", batchId);
    }
    return spec;
  }
}
