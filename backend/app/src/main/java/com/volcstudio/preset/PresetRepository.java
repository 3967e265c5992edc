package com.volcstudio.preset;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** The {@code preset} table; parameters are kept as the same snake_case JSON the API speaks. */
@Repository
class PresetRepository {

  private static final JsonMapper JSON =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  private final DatabaseClient db;

  PresetRepository(DatabaseClient db) {
    this.db = db;
  }

  Flux<Preset> findAll() {
    return db.sql(
            "SELECT id, name, params_json, created_at, updated_at FROM preset ORDER BY LOWER(name)")
        .map(PresetRepository::map)
        .all();
  }

  Mono<Preset> findById(String id) {
    return db.sql("SELECT id, name, params_json, created_at, updated_at FROM preset WHERE id = :id")
        .bind("id", id)
        .map(PresetRepository::map)
        .one();
  }

  Mono<Void> insert(Preset preset) {
    return db.sql(
            "INSERT INTO preset (id, name, params_json, created_at, updated_at) VALUES (:id, :name, :params, :created, :updated)")
        .bind("id", preset.id())
        .bind("name", preset.name())
        .bind("params", JSON.writeValueAsString(preset.params()))
        .bind("created", utc(preset.createdAt()))
        .bind("updated", utc(preset.updatedAt()))
        .then();
  }

  Mono<Boolean> update(String id, String name, PresetParams params, Instant now) {
    return db.sql(
            "UPDATE preset SET name = :name, params_json = :params, updated_at = :now WHERE id = :id")
        .bind("id", id)
        .bind("name", name)
        .bind("params", JSON.writeValueAsString(params))
        .bind("now", utc(now))
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  Mono<Boolean> delete(String id) {
    return db.sql("DELETE FROM preset WHERE id = :id")
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  private static Preset map(Readable row) {
    return new Preset(
        row.get("id", String.class),
        row.get("name", String.class),
        JSON.readValue(row.get("params_json", String.class), PresetParams.class),
        row.get("created_at", OffsetDateTime.class).toInstant(),
        row.get("updated_at", OffsetDateTime.class).toInstant());
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
  }
}
