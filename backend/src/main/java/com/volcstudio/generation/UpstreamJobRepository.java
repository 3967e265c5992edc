package com.volcstudio.generation;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** The {@code upstream_job} table. */
@Repository
class UpstreamJobRepository {

  private final DatabaseClient db;

  UpstreamJobRepository(DatabaseClient db) {
    this.db = db;
  }

  Mono<Void> insert(UpstreamJob job) {
    return db.sql("INSERT INTO upstream_job (task_id, image_index, req_key, upstream_task_id, submitted_at)"
            + " VALUES (:task, :idx, :reqKey, :upstream, :submitted)")
        .bind("task", job.taskId()).bind("idx", job.imageIndex()).bind("reqKey", job.reqKey())
        .bind("upstream", job.upstreamTaskId())
        .bind("submitted", OffsetDateTime.ofInstant(job.submittedAt().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC))
        .then();
  }

  Mono<UpstreamJob> find(String taskId, int imageIndex) {
    return db.sql("SELECT task_id, image_index, req_key, upstream_task_id, submitted_at FROM upstream_job"
            + " WHERE task_id = :task AND image_index = :idx")
        .bind("task", taskId).bind("idx", imageIndex)
        .map(row -> new UpstreamJob(row.get("task_id", String.class), row.get("image_index", Integer.class),
            row.get("req_key", String.class), row.get("upstream_task_id", String.class),
            row.get("submitted_at", OffsetDateTime.class).toInstant()))
        .one();
  }
}
