package com.volcstudio.usage;

import com.volcstudio.database.Dialect;
import com.volcstudio.database.OwnedRows;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Counts what happened, per UTC day and model, in {@code usage_daily}. The services that make the
 * changes count them, each in the same transaction as its change (the task service and runner the
 * task rows, the image store the image rows), so a crash loses neither or both; and deleting
 * history later takes nothing off the counts. It reads and writes no table but its own: the caller
 * names the model.
 */
@Component
public class UsageLedger {

  /** What is counted; each is a column of {@code usage_daily}. */
  public enum Measure {
    TASKS("tasks"),
    IMAGES("images"),
    COMPLETED("completed"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String column;

    Measure(String column) {
      this.column = column;
    }
  }

  /** One row per day and model, whoever's: SUM of a BIGINT is a NUMERIC in H2, cast back. */
  private static final String SUMS =
      Stream.of(
              "tasks",
              "images",
              "completed",
              "failed",
              "cancelled",
              "priced_images",
              "cost_micro_cny")
          .map(c -> "CAST(SUM(" + c + ") AS BIGINT) AS " + c)
          .collect(Collectors.joining(", "));

  private final DatabaseClient db;
  private final Dialect dialect;

  UsageLedger(DatabaseClient db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  /**
   * Adds {@code n} to the measure of {@code model} on the UTC day of {@code at}. Called by the
   * service that makes the change being counted, inside that change's transaction.
   */
  public Mono<Void> count(String model, String owner, Measure measure, Instant at, long n) {
    return add(model, owner, at, Map.of(measure.column, n));
  }

  /**
   * One stored image of {@code model} on the UTC day of {@code at}, with its estimated price in
   * millionths of a yuan; inside the image's own transaction, like {@link #count}.
   */
  public Mono<Void> countImage(String model, String owner, Instant at, long costMicroCny) {
    Map<String, Long> increments = new LinkedHashMap<>();
    increments.put(Measure.IMAGES.column, 1L);
    increments.put("priced_images", 1L);
    increments.put("cost_micro_cny", costMicroCny);
    return add(model, owner, at, increments);
  }

  /**
   * Adds to the columns (fixed names of this class, never a caller's text) of the day's row for
   * {@code model}, making the row if it is the day's first count.
   */
  private Mono<Void> add(String model, String owner, Instant at, Map<String, Long> increments) {
    List<String> columns = List.copyOf(increments.keySet());
    String updates =
        columns.stream().map(c -> c + " = u." + c + " + :" + c).collect(Collectors.joining(", "));
    String names = String.join(", ", columns);
    String values = columns.stream().map(c -> ":" + c).collect(Collectors.joining(", "));
    String merge =
        "MERGE INTO usage_daily u USING (SELECT CAST(:day AS DATE) AS d, CAST(:model AS VARCHAR(64))"
            + " AS model, CAST(:owner AS VARCHAR(36)) AS owner_id) s ON u.usage_day = s.d"
            + " AND u.model = s.model AND u.owner_id = s.owner_id"
            + " WHEN MATCHED THEN UPDATE SET "
            + updates
            + " WHEN NOT MATCHED THEN INSERT (usage_day, model, owner_id, "
            + names
            + ") VALUES (s.d, s.model, s.owner_id, "
            + values
            + ")";
    // PostgreSQL: an atomic upsert. Two first counts of a day racing through MERGE both take its
    // insert branch there, and the loser's key violation aborts its whole transaction (a submit
    // failed with 500 when a dozen came at once, QuotaAcrossReplicasTests), where H2 fails the
    // statement alone and the retry below finds the row.
    String upsert =
        "INSERT INTO usage_daily (usage_day, model, owner_id, "
            + names
            + ") VALUES (:day, :model, :owner, "
            + values
            + ") ON CONFLICT (usage_day, model, owner_id) DO UPDATE SET "
            + columns.stream()
                .map(c -> c + " = usage_daily." + c + " + EXCLUDED." + c)
                .collect(Collectors.joining(", "));
    GenericExecuteSpec spec =
        db.sql(dialect.h2() ? merge : upsert)
            .bind("day", day(at))
            .bind("model", model)
            .bind("owner", owner);
    for (String column : columns) {
      spec = spec.bind(column, increments.get(column));
    }
    return spec.then()
        // Two first counts of a day and model racing: one inserts the row, the other's insert hits
        // the key and, tried again, finds the row to add to.
        .retryWhen(Retry.max(3).filter(DataIntegrityViolationException.class::isInstance));
  }

  /**
   * One day's counts of one model.
   *
   * @param pricedImages the images among {@code images} whose price was recorded when stored
   * @param costMicroCny their recorded price, in millionths of a yuan
   */
  record DayUsage(
      LocalDate date,
      String model,
      long tasks,
      long images,
      long completed,
      long failed,
      long cancelled,
      long pricedImages,
      long costMicroCny) {}

  /**
   * Every day and model with counts from {@code from} to {@code to}, both included, in order:
   * {@code owner}'s, or everybody's.
   */
  Flux<DayUsage> between(LocalDate from, LocalDate to, @Nullable String owner) {
    return OwnedRows.sql(
            db,
            "SELECT usage_day, model, "
                + SUMS
                + " FROM usage_daily WHERE usage_day BETWEEN :from AND :to",
            owner,
            " GROUP BY usage_day, model ORDER BY usage_day, model")
        .bind("from", from)
        .bind("to", to)
        .map(row -> dayUsage(row, row.get("usage_day", LocalDate.class)))
        .all();
  }

  /** A row of {@link #SUMS} for one model, as the usage of {@code day}. */
  private static DayUsage dayUsage(io.r2dbc.spi.Readable row, LocalDate day) {
    return new DayUsage(
        day,
        row.get("model", String.class),
        row.get("tasks", Long.class),
        row.get("images", Long.class),
        row.get("completed", Long.class),
        row.get("failed", Long.class),
        row.get("cancelled", Long.class),
        row.get("priced_images", Long.class),
        row.get("cost_micro_cny", Long.class));
  }

  /**
   * Every owner's counts per model from {@code from} to {@code to}, both included, by owner key;
   * each row's date is {@code from}.
   */
  Flux<Map.Entry<String, DayUsage>> byOwnerAndModel(LocalDate from, LocalDate to) {
    return db.sql(
            "SELECT owner_id, model, "
                + SUMS
                + " FROM usage_daily WHERE usage_day BETWEEN :from AND :to"
                + " GROUP BY owner_id, model")
        .bind("from", from)
        .bind("to", to)
        .map(row -> Map.entry(row.get("owner_id", String.class), dayUsage(row, from)))
        .all();
  }

  /** Images made from the start of {@code from} (UTC) on: {@code owner}'s, or everybody's. */
  Mono<Long> imagesSince(LocalDate from, @Nullable String owner) {
    String sql =
        "SELECT CAST(COALESCE(SUM(images), 0) AS BIGINT) AS n FROM usage_daily"
            + " WHERE usage_day >= :from";
    return OwnedRows.sql(db, sql, owner)
        .bind("from", from)
        .map(row -> row.get("n", Long.class))
        .one()
        .defaultIfEmpty(0L);
  }

  static LocalDate day(Instant at) {
    return LocalDate.ofInstant(at.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
  }
}
