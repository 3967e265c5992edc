package com.volcstudio.generation;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code upstream_job} table. */
@Repository
class UpstreamJobRepository {

  private final DatabaseClient db;

  UpstreamJobRepository(DatabaseClient db) {
    this.db = db;
  }

  Mono<Void> insert(UpstreamJob job) {
    return db.sql(
            "INSERT INTO upstream_job (task_id, image_index, req_key, upstream_task_id, submitted_at)"
                + " VALUES (:task, :idx, :reqKey, :upstream, :submitted)")
        .bind("task", job.taskId())
        .bind("idx", job.imageIndex())
        .bind("reqKey", job.reqKey())
        .bind("upstream", job.upstreamTaskId())
        .bind(
            "submitted",
            OffsetDateTime.ofInstant(
                job.submittedAt().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC))
        .then();
  }

  Mono<UpstreamJob> find(String taskId, int imageIndex) {
    return db.sql(
            "SELECT task_id, image_index, req_key, upstream_task_id, submitted_at FROM upstream_job"
                + " WHERE task_id = :task AND image_index = :idx")
        .bind("task", taskId)
        .bind("idx", imageIndex)
        .map(UpstreamJobRepository::map)
        .one();
  }

  Flux<UpstreamJob> findByTask(String taskId) {
    return db.sql(
            "SELECT task_id, image_index, req_key, upstream_task_id, submitted_at FROM upstream_job WHERE task_id = :task")
        .bind("task", taskId)
        .map(UpstreamJobRepository::map)
        .all();
  }

  /**
   * Forgets a job cancelled upstream, so a retry of its task submits afresh instead of polling a
   * dead id.
   */
  Mono<Void> delete(String taskId, int imageIndex) {
    return db.sql("DELETE FROM upstream_job WHERE task_id = :task AND image_index = :idx")
        .bind("task", taskId)
        .bind("idx", imageIndex)
        .then();
  }

  private static UpstreamJob map(io.r2dbc.spi.Readable row) {
    return new UpstreamJob(
        row.get("task_id", String.class),
        row.get("image_index", Integer.class),
        row.get("req_key", String.class),
        row.get("upstream_task_id", String.class),
        row.get("submitted_at", OffsetDateTime.class).toInstant());
  }
}
