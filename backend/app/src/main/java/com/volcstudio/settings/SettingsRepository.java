package com.volcstudio.settings;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The {@code runtime_setting} and {@code stored_credential} tables (V8). Credentials arrive here
 * encrypted.
 */
@Repository
class SettingsRepository {

  private final DatabaseClient db;
  private final TransactionalOperator tx;

  SettingsRepository(DatabaseClient db, ReactiveTransactionManager transactions) {
    this.db = db;
    this.tx = TransactionalOperator.create(transactions);
  }

  Mono<Map<String, JsonNode>> runtimeOverrides() {
    return db.sql("SELECT name, value_json FROM runtime_setting ORDER BY name")
        .map(
            row ->
                Map.entry(
                    row.get("name", String.class),
                    CurrentSettings.JSON.readTree(row.get("value_json", String.class))))
        .all()
        .collect(LinkedHashMap::new, (map, e) -> map.put(e.getKey(), e.getValue()));
  }

  /** Replaces the stored overrides with these, in one transaction. */
  Mono<Void> replaceRuntimeOverrides(Map<String, JsonNode> overrides, Instant now) {
    Mono<Void> write =
        db.sql("DELETE FROM runtime_setting")
            .then()
            .thenMany(
                Flux.fromIterable(overrides.entrySet())
                    .concatMap(
                        e ->
                            db.sql(
                                    "INSERT INTO runtime_setting (name, value_json, updated_at) VALUES (:name, :value, :now)")
                                .bind("name", e.getKey())
                                .bind(
                                    "value", CurrentSettings.JSON.writeValueAsString(e.getValue()))
                                .bind("now", utc(now))
                                .then()))
            .then();
    return write.as(tx::transactional);
  }

  /** Ciphertext by provider. */
  Mono<Map<String, String>> credentials() {
    return db.sql("SELECT provider, ciphertext FROM stored_credential")
        .map(
            (Readable row) ->
                Map.entry(row.get("provider", String.class), row.get("ciphertext", String.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  Mono<Void> saveCredential(String provider, String ciphertext, Instant now) {
    return db.sql(
            // Standard MERGE: H2 and PostgreSQL (15 and newer) both take it.
            "MERGE INTO stored_credential c USING (SELECT CAST(:provider AS VARCHAR(20)) AS provider,"
                + " CAST(:ciphertext AS VARCHAR(2000)) AS ciphertext,"
                + " CAST(:now AS TIMESTAMP WITH TIME ZONE) AS updated_at) s"
                + " ON c.provider = s.provider"
                + " WHEN MATCHED THEN UPDATE SET ciphertext = s.ciphertext, updated_at = s.updated_at"
                + " WHEN NOT MATCHED THEN INSERT (provider, ciphertext, updated_at)"
                + " VALUES (s.provider, s.ciphertext, s.updated_at)")
        .bind("provider", provider)
        .bind("ciphertext", ciphertext)
        .bind("now", utc(now))
        .then();
  }

  Mono<Boolean> deleteCredential(String provider) {
    return db.sql("DELETE FROM stored_credential WHERE provider = :provider")
        .bind("provider", provider)
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
  }
}
