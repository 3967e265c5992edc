package com.volcstudio.generation;

import com.volcstudio.config.HostName;
import com.volcstudio.database.Dialect;
import java.util.Collection;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which process runs which task (issue 18): a task is run only by the process that claimed it in
 * {@code generation_task}, under a lease renewed while it runs and a fence that grows with every
 * claim. Replicas sharing one PostgreSQL database so never run one task twice, and the tasks of one
 * that died are claimed by another once their lease runs out. All times are the database's.
 */
@Repository
class TaskClaims {

  private static final String UNFINISHED = "status IN ('pending', 'running')";

  /** A claim nobody renews any more, or none. */
  private static final String FREE = "(claimed_by IS NULL OR lease_until < CURRENT_TIMESTAMP)";

  private final DatabaseClient db;
  private final Dialect dialect;
  private final ClaimProperties properties;

  /** This process: host, pid and a random part (a restarted process is another holder). */
  private final String holder;

  TaskClaims(DatabaseClient db, Dialect dialect, ClaimProperties properties) {
    this.db = db;
    this.dialect = dialect;
    this.properties = properties;
    this.holder = HostName.of() + "/" + ProcessHandle.current().pid() + "/" + random();
  }

  String holder() {
    return holder;
  }

  /** Whether other processes may share the database (PostgreSQL), so that leases matter. */
  boolean shared() {
    return !dialect.h2();
  }

  /** The task is this process's to run under the fence given; empty when another holds it. */
  Mono<Long> claim(String taskId) {
    return db.sql(
            "UPDATE generation_task SET claimed_by = :holder, claim_fence = claim_fence + 1,"
                + " lease_until = "
                + dialect.nowPlusMillis()
                + " WHERE id = :id AND "
                + UNFINISHED
                + " AND "
                + FREE)
        .bind("holder", holder)
        .bind("millis", properties.lease().toMillis())
        .bind("id", taskId)
        .fetch()
        .rowsUpdated()
        .filter(n -> n > 0)
        .flatMap(
            claimed ->
                db.sql(
                        "SELECT claim_fence FROM generation_task WHERE id = :id"
                            + " AND claimed_by = :holder")
                    .bind("id", taskId)
                    .bind("holder", holder)
                    .map(row -> row.get("claim_fence", Long.class))
                    .one());
  }

  /** Extends this process's claims of the tasks it runs. */
  Mono<Void> renew(Collection<String> taskIds) {
    if (taskIds.isEmpty()) {
      return Mono.empty();
    }
    return db.sql(
            "UPDATE generation_task SET lease_until = "
                + dialect.nowPlusMillis()
                + " WHERE id IN (:ids) AND claimed_by = :holder AND "
                + UNFINISHED)
        .bind("millis", properties.lease().toMillis())
        .bind("ids", taskIds)
        .bind("holder", holder)
        .then();
  }

  /** What became of tasks this process runs: cancelled elsewhere, or claimed by another. */
  record Held(String taskId, boolean cancelled, boolean lost) {}

  Flux<Held> check(Collection<String> taskIds) {
    if (taskIds.isEmpty()) {
      return Flux.empty();
    }
    return db.sql("SELECT id, status, claimed_by FROM generation_task WHERE id IN (:ids)")
        .bind("ids", taskIds)
        .map(
            row ->
                new Held(
                    row.get("id", String.class),
                    "cancelled".equals(row.get("status", String.class)),
                    !holder.equals(row.get("claimed_by", String.class))))
        .all();
  }

  /** Hands this process's claims back, so that another can take the tasks at once. */
  Mono<Long> release(Collection<String> taskIds) {
    if (taskIds.isEmpty()) {
      return Mono.just(0L);
    }
    return db.sql(
            "UPDATE generation_task SET claimed_by = NULL, lease_until = NULL"
                + " WHERE id IN (:ids) AND claimed_by = :holder")
        .bind("ids", taskIds)
        .bind("holder", holder)
        .fetch()
        .rowsUpdated();
  }

  /**
   * With the H2 file no other process can be running: every claim but this process's was left by an
   * earlier run and is free now.
   */
  Mono<Long> releaseEarlierRuns() {
    return db.sql(
            "UPDATE generation_task SET claimed_by = NULL, lease_until = NULL"
                + " WHERE claimed_by IS NOT NULL AND claimed_by <> :holder")
        .bind("holder", holder)
        .fetch()
        .rowsUpdated();
  }

  /** Tasks running now, on every replica. */
  Mono<Integer> runningCount() {
    return db.sql("SELECT COUNT(*) AS n FROM generation_task WHERE status = 'running'")
        .map(row -> row.get("n", Long.class).intValue())
        .one();
  }

  /** A task that could be claimed now, and its owner (for its turn in the queue). */
  record Claimable(String taskId, String owner) {}

  /** Unfinished tasks nobody holds, oldest first. */
  Flux<Claimable> claimable() {
    return db.sql(
            "SELECT id, owner_id FROM generation_task WHERE "
                + UNFINISHED
                + " AND "
                + FREE
                + " ORDER BY created_at, id")
        .map(row -> new Claimable(row.get("id", String.class), row.get("owner_id", String.class)))
        .all();
  }

  private static String random() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
