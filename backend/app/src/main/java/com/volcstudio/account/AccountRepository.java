package com.volcstudio.account;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The {@code app_user} table. */
@Repository
class AccountRepository {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final String COLUMNS =
      "id, username, password_hash, role, monthly_image_quota, allowed_models, disabled, created_at, updated_at";

  private final DatabaseClient db;

  AccountRepository(DatabaseClient db) {
    this.db = db;
  }

  static String key(String username) {
    return username.strip().toLowerCase(Locale.ROOT);
  }

  Flux<Account> findAll() {
    return db.sql("SELECT " + COLUMNS + " FROM app_user ORDER BY username_key")
        .map(AccountRepository::map)
        .all();
  }

  Mono<Account> findById(String id) {
    return db.sql("SELECT " + COLUMNS + " FROM app_user WHERE id = :id")
        .bind("id", id)
        .map(AccountRepository::map)
        .one();
  }

  Mono<Account> findByUsername(String username) {
    return db.sql("SELECT " + COLUMNS + " FROM app_user WHERE username_key = :key")
        .bind("key", key(username))
        .map(AccountRepository::map)
        .one();
  }

  /** The enabled account of APP_AUTH_USERNAME, if login is on. */
  Mono<Account> findEnvironmentAccount() {
    return db.sql(
            "SELECT " + COLUMNS + " FROM app_user WHERE password_hash IS NULL AND disabled = FALSE")
        .map(AccountRepository::map)
        .first();
  }

  Mono<Long> count() {
    return db.sql("SELECT COUNT(*) AS n FROM app_user").map(row -> row.get("n", Long.class)).one();
  }

  Mono<Void> insert(Account account) {
    GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO app_user (id, username, username_key, password_hash, role, monthly_image_quota,"
                    + " allowed_models, disabled, created_at, updated_at) VALUES (:id, :username, :key,"
                    + " :hash, :role, :quota, :models, :disabled, :created, :updated)")
            .bind("id", account.id())
            .bind("created", utc(account.createdAt()));
    return bindState(spec, account).then();
  }

  /** Everything but the id and the creation time; false when there is no such account. */
  Mono<Boolean> update(Account account) {
    GenericExecuteSpec spec =
        db.sql(
                "UPDATE app_user SET username = :username, username_key = :key, password_hash = :hash,"
                    + " role = :role, monthly_image_quota = :quota, allowed_models = :models,"
                    + " disabled = :disabled, updated_at = :updated WHERE id = :id")
            .bind("id", account.id());
    return bindState(spec, account).fetch().rowsUpdated().map(n -> n > 0);
  }

  /**
   * A former APP_AUTH_USERNAME (the variable now names another login) is disabled: its password was
   * the environment's, which is the new login's now.
   */
  Mono<Long> disableFormerEnvironmentAccounts(String currentUsername, Instant now) {
    return db.sql(
            "UPDATE app_user SET disabled = TRUE, updated_at = :now WHERE password_hash IS NULL"
                + " AND username_key <> :key AND disabled = FALSE")
        .bind("key", key(currentUsername))
        .bind("now", utc(now))
        .fetch()
        .rowsUpdated();
  }

  Mono<Boolean> delete(String id) {
    return db.sql("DELETE FROM app_user WHERE id = :id")
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  private static GenericExecuteSpec bindState(GenericExecuteSpec spec, Account account) {
    spec =
        spec.bind("username", account.username())
            .bind("key", key(account.username()))
            .bind("role", account.role().id())
            .bind("disabled", account.disabled())
            .bind("updated", utc(account.updatedAt()));
    spec = bindNullable(spec, "hash", account.passwordHash(), String.class);
    spec = bindNullable(spec, "quota", account.monthlyImageQuota(), Integer.class);
    return bindNullable(
        spec,
        "models",
        account.allowedModels().isEmpty() ? null : JSON.writeValueAsString(account.allowedModels()),
        String.class);
  }

  private static <T> GenericExecuteSpec bindNullable(
      GenericExecuteSpec spec, String name, @Nullable T value, Class<T> type) {
    return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
  }

  private static Account map(Readable row) {
    String models = row.get("allowed_models", String.class);
    return new Account(
        row.get("id", String.class),
        row.get("username", String.class),
        row.get("password_hash", String.class),
        Role.parse(row.get("role", String.class)).orElse(Role.MEMBER),
        row.get("monthly_image_quota", Integer.class),
        models == null ? List.of() : JSON.readValue(models, STRINGS),
        Boolean.TRUE.equals(row.get("disabled", Boolean.class)),
        row.get("created_at", OffsetDateTime.class).toInstant(),
        row.get("updated_at", OffsetDateTime.class).toInstant());
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
