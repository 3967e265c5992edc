package com.volcstudio.preset;

import com.volcstudio.database.OwnedRows;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
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

  private static final String COLUMNS = "id, name, params_json, created_at, updated_at";

  /** {@code owner}'s presets by name (null: everybody's). */
  Flux<Preset> findAll(@Nullable String owner) {
    return OwnedRows.sql(
            db, "SELECT " + COLUMNS + " FROM preset WHERE 1 = 1", owner, " ORDER BY LOWER(name)")
        .map(PresetRepository::map)
        .all();
  }

  /** The preset, if it is {@code owner}'s (null: anybody's). */
  Mono<Preset> findById(String id, @Nullable String owner) {
    return OwnedRows.sql(db, "SELECT " + COLUMNS + " FROM preset WHERE id = :id", owner)
        .bind("id", id)
        .map(PresetRepository::map)
        .one();
  }

  Mono<Void> insert(Preset preset, String owner) {
    return db.sql(
            "INSERT INTO preset (id, name, params_json, created_at, updated_at, owner_id) VALUES (:id, :name, :params, :created, :updated, :owner)")
        .bind("owner", owner)
        .bind("id", preset.id())
        .bind("name", preset.name())
        .bind("params", JSON.writeValueAsString(preset.params()))
        .bind("created", utc(preset.createdAt()))
        .bind("updated", utc(preset.updatedAt()))
        .then();
  }

  /** Whether it was there (and {@code owner}'s, when one is named) to change. */
  Mono<Boolean> update(
      String id, @Nullable String owner, String name, PresetParams params, Instant now) {
    return OwnedRows.sql(
            db,
            "UPDATE preset SET name = :name, params_json = :params, updated_at = :now WHERE id = :id",
            owner)
        .bind("id", id)
        .bind("name", name)
        .bind("params", JSON.writeValueAsString(params))
        .bind("now", utc(now))
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  /** Whether it was there (and {@code owner}'s, when one is named) to delete. */
  Mono<Boolean> delete(String id, @Nullable String owner) {
    return OwnedRows.sql(db, "DELETE FROM preset WHERE id = :id", owner)
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
