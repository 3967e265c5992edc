package com.volcstudio.generation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * The {@code batch_submission} table: which batch an Idempotency-Key made, and the answer it got.
 */
@Repository
class BatchSubmissionRepository {

  /** A recorded batch submit: the fingerprint of its request and its answer as JSON. */
  record Submission(String fingerprint, String planJson) {}

  private final DatabaseClient db;

  BatchSubmissionRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Fails with a DataIntegrityViolationException when the key is already taken (a racing twin won).
   */
  Mono<Void> insert(String key, String fingerprint, String batchId, String planJson, Instant now) {
    return db.sql(
            "INSERT INTO batch_submission (idempotency_key, request_fingerprint, batch_id, plan_json, created_at)"
                + " VALUES (:key, :fp, :batch, :plan, :now)")
        .bind("key", key)
        .bind("fp", fingerprint)
        .bind("batch", batchId)
        .bind("plan", planJson)
        .bind("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
        .then();
  }

  Mono<Submission> find(String key) {
    return db.sql(
            "SELECT request_fingerprint, plan_json FROM batch_submission WHERE idempotency_key = :key")
        .bind("key", key)
        .map(
            row ->
                new Submission(
                    row.get("request_fingerprint", String.class),
                    row.get("plan_json", String.class)))
        .one();
  }
}
