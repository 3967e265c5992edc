package com.volcstudio.audit;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code audit_event} table: written once per event, read newest first. */
@Repository
class AuditRepository {

  /** What a page of the log is asked for; null = any. */
  record Filter(
      @Nullable String action,
      @Nullable String actor,
      @Nullable Instant from,
      @Nullable Instant to) {

    String where() {
      StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
      if (action != null) {
        sql.append(" AND action = :action");
      }
      if (actor != null) {
        sql.append(" AND actor = :actor");
      }
      if (from != null) {
        sql.append(" AND at >= :from");
      }
      if (to != null) {
        sql.append(" AND at < :to");
      }
      return sql.toString();
    }

    GenericExecuteSpec bind(GenericExecuteSpec spec) {
      if (action != null) {
        spec = spec.bind("action", action);
      }
      if (actor != null) {
        spec = spec.bind("actor", actor);
      }
      if (from != null) {
        spec = spec.bind("from", from.atOffset(ZoneOffset.UTC));
      }
      if (to != null) {
        spec = spec.bind("to", to.atOffset(ZoneOffset.UTC));
      }
      return spec;
    }
  }

  private final DatabaseClient db;

  AuditRepository(DatabaseClient db) {
    this.db = db;
  }

  Mono<Void> insert(AuditEvent event) {
    GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO audit_event (id, at, actor, action, target, address, detail) VALUES"
                    + " (:id, :at, :actor, :action, :target, :address, :detail)")
            .bind("id", event.auditId())
            .bind("at", event.at().atOffset(ZoneOffset.UTC))
            .bind("actor", event.actor())
            .bind("action", event.action())
            .bind("address", event.address());
    spec =
        event.target() == null
            ? spec.bindNull("target", String.class)
            : spec.bind("target", event.target());
    spec =
        event.detail() == null
            ? spec.bindNull("detail", String.class)
            : spec.bind("detail", event.detail());
    return spec.then();
  }

  Flux<AuditEvent> page(Filter filter, int page, int limit) {
    return filter
        .bind(
            db.sql(
                "SELECT id, at, actor, action, target, address, detail FROM audit_event"
                    + filter.where()
                    + " ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset"))
        .bind("limit", limit)
        .bind("offset", (long) (page - 1) * limit)
        .map(AuditRepository::map)
        .all();
  }

  Mono<Long> count(Filter filter) {
    return filter
        .bind(db.sql("SELECT COUNT(*) AS n FROM audit_event" + filter.where()))
        .map(row -> row.get("n", Long.class))
        .one();
  }

  private static AuditEvent map(Readable row) {
    return new AuditEvent(
        row.get("id", String.class),
        row.get("at", OffsetDateTime.class).toInstant(),
        row.get("actor", String.class),
        row.get("action", String.class),
        row.get("target", String.class),
        row.get("address", String.class),
        row.get("detail", String.class));
  }
}
