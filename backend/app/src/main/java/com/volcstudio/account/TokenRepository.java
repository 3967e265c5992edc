package com.volcstudio.account;

import static com.volcstudio.account.AccountRepository.utc;

import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code api_token} table: a token's hash, its owner and when it was last used. */
@Repository
class TokenRepository {

  /** last_used_at is written at most this often per token, not on every request. */
  static final Duration USE_RESOLUTION = Duration.ofMinutes(1);

  /** An owner and a token of theirs, as found by the token's hash, and when it was last used. */
  record Owner(String tokenId, String userId, @Nullable Instant lastUsedAt) {

    /** Whether last_used_at is older than {@link #USE_RESOLUTION} at {@code now} (or unset). */
    boolean usedBefore(Instant now) {
      return lastUsedAt == null || lastUsedAt.isBefore(now.minus(USE_RESOLUTION));
    }
  }

  private final DatabaseClient db;

  TokenRepository(DatabaseClient db) {
    this.db = db;
  }

  Flux<ApiToken> findByUser(String userId) {
    return db.sql(
            "SELECT id, name, created_at, last_used_at FROM api_token WHERE user_id = :user"
                + " ORDER BY created_at DESC")
        .bind("user", userId)
        .map(TokenRepository::map)
        .all();
  }

  Mono<Long> countByUser(String userId) {
    return db.sql("SELECT COUNT(*) AS n FROM api_token WHERE user_id = :user")
        .bind("user", userId)
        .map(row -> row.get("n", Long.class))
        .one();
  }

  Mono<Owner> findByHash(String hash) {
    return db.sql("SELECT id, user_id, last_used_at FROM api_token WHERE token_hash = :hash")
        .bind("hash", hash)
        .map(
            row -> {
              OffsetDateTime used = row.get("last_used_at", OffsetDateTime.class);
              return new Owner(
                  row.get("id", String.class),
                  row.get("user_id", String.class),
                  used == null ? null : used.toInstant());
            })
        .one();
  }

  Mono<Void> insert(String id, String userId, String name, String hash, Instant now) {
    return db.sql(
            "INSERT INTO api_token (id, user_id, name, token_hash, created_at) VALUES (:id, :user,"
                + " :name, :hash, :now)")
        .bind("id", id)
        .bind("user", userId)
        .bind("name", name)
        .bind("hash", hash)
        .bind("now", utc(now))
        .then();
  }

  /** Deletes one of the user's tokens; false when the user has no token of that id. */
  Mono<Boolean> delete(String userId, String tokenId) {
    return db.sql("DELETE FROM api_token WHERE id = :id AND user_id = :user")
        .bind("id", tokenId)
        .bind("user", userId)
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  Mono<Void> used(String tokenId, Instant now) {
    return db.sql(
            "UPDATE api_token SET last_used_at = :now WHERE id = :id AND (last_used_at IS NULL OR"
                + " last_used_at < :stale)")
        .bind("id", tokenId)
        .bind("now", utc(now))
        .bind("stale", utc(now.minus(USE_RESOLUTION)))
        .then();
  }

  private static ApiToken map(Readable row) {
    OffsetDateTime used = row.get("last_used_at", OffsetDateTime.class);
    return new ApiToken(
        row.get("id", String.class),
        row.get("name", String.class),
        row.get("created_at", OffsetDateTime.class).toInstant(),
        used == null ? null : used.toInstant());
  }
}
