package com.volcstudio.generation;

import java.time.Instant;
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

  /**
   * A submit about to go out: the row without the upstream id, written only while the run still
   * holds its claim under {@code fence} ({@link TaskClaims}), so a process that lost its claim pays
   * for nothing: it gets {@link ClaimLostException} instead.
   */
  Mono<Void> insertSubmitting(
      String taskId, long fence, int imageIndex, String reqKey, Instant at) {
    return db.sql(
            "INSERT INTO upstream_job (task_id, image_index, req_key, submitted_at)"
                + " SELECT id, :idx, :reqKey, :submitted FROM generation_task"
                + " WHERE id = :task AND claim_fence = :fence")
        .bind("task", taskId)
        .bind("fence", fence)
        .bind("idx", imageIndex)
        .bind("reqKey", reqKey)
        .bind("submitted", utc(at))
        .fetch()
        .rowsUpdated()
        .flatMap(
            inserted ->
                inserted == 1 ? Mono.<Void>empty() : Mono.error(new ClaimLostException(taskId)));
  }

  /** The submit's answer: the upstream task it created. */
  Mono<Void> submitted(String taskId, int imageIndex, String upstreamTaskId, Instant at) {
    return db.sql(
            "UPDATE upstream_job SET upstream_task_id = :upstream, submitted_at = :submitted"
                + " WHERE task_id = :task AND image_index = :idx")
        .bind("task", taskId)
        .bind("idx", imageIndex)
        .bind("upstream", upstreamTaskId)
        .bind("submitted", utc(at))
        .fetch()
        .rowsUpdated()
        .flatMap(
            updated ->
                updated == 1
                    ? Mono.<Void>empty()
                    : Mono.error(
                        new IllegalStateException(
                            "no submit was recorded for " + taskId + " #" + imageIndex)));
  }

  /**
   * Forgets the submits whose answer was never heard, when the user retries the task: they asked
   * for a new submission, knowing the old one may have been accepted.
   */
  Mono<Void> forgetUnanswered(String taskId) {
    return db.sql("DELETE FROM upstream_job WHERE task_id = :task AND upstream_task_id IS NULL")
        .bind("task", taskId)
        .then();
  }

  /** Forgets one image's submit that the service answered it did not take. */
  Mono<Void> forgetUnanswered(String taskId, int imageIndex) {
    return db.sql(
            "DELETE FROM upstream_job WHERE task_id = :task AND image_index = :idx"
                + " AND upstream_task_id IS NULL")
        .bind("task", taskId)
        .bind("idx", imageIndex)
        .then();
  }

  private static OffsetDateTime utc(Instant at) {
    return OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
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

  /** The task's submitted jobs (those whose upstream id is known). */
  Flux<UpstreamJob> findByTask(String taskId) {
    return db.sql(
            "SELECT task_id, image_index, req_key, upstream_task_id, submitted_at FROM upstream_job"
                + " WHERE task_id = :task AND upstream_task_id IS NOT NULL")
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
