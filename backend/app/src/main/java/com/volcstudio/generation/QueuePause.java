package com.volcstudio.generation;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Whether the queue is paused, in the database (V24): it outlives a restart and every replica reads
 * it.
 */
@Component
class QueuePause {

  private final DatabaseClient db;

  QueuePause(DatabaseClient db) {
    this.db = db;
  }

  Mono<Boolean> paused() {
    return db.sql("SELECT paused FROM queue_state WHERE name = 'queue'")
        .map(row -> Boolean.TRUE.equals(row.get("paused", Boolean.class)))
        .one()
        .defaultIfEmpty(false);
  }

  Mono<Void> set(boolean paused) {
    return db.sql("UPDATE queue_state SET paused = :paused WHERE name = 'queue'")
        .bind("paused", paused)
        .then();
  }
}
