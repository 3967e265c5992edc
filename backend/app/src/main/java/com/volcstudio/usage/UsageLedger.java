package com.volcstudio.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
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

  private final DatabaseClient db;

  UsageLedger(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Adds {@code n} to the measure of {@code model} on the UTC day of {@code at}. Called by the
   * service that makes the change being counted, inside that change's transaction.
   */
  public Mono<Void> count(String model, Measure measure, Instant at, long n) {
    String column = measure.column;
    return db.sql(
            "MERGE INTO usage_daily u USING (SELECT CAST(:day AS DATE) AS d, CAST(:model AS VARCHAR(64))"
                + " AS model) s ON u.usage_day = s.d AND u.model = s.model"
                + " WHEN MATCHED THEN UPDATE SET "
                + column
                + " = u."
                + column
                + " + :n WHEN NOT MATCHED THEN INSERT (usage_day, model, "
                + column
                + ") VALUES (s.d, s.model, :n)")
        .bind("day", day(at))
        .bind("model", model)
        .bind("n", n)
        .then()
        // Two first counts of a day and model racing: one inserts the row, the other's insert hits
        // the key and, tried again, finds the row to add to.
        .retryWhen(Retry.max(3).filter(DataIntegrityViolationException.class::isInstance));
  }

  /**
   * One stored image of {@code model} on the UTC day of {@code at}, with its estimated price in
   * millionths of a yuan; inside the image's own transaction, like {@link #count}.
   */
  public Mono<Void> countImage(String model, Instant at, long costMicroCny) {
    return db.sql(
            "MERGE INTO usage_daily u USING (SELECT CAST(:day AS DATE) AS d, CAST(:model AS VARCHAR(64))"
                + " AS model) s ON u.usage_day = s.d AND u.model = s.model"
                + " WHEN MATCHED THEN UPDATE SET images = u.images + 1,"
                + " priced_images = u.priced_images + 1, cost_micro_cny = u.cost_micro_cny + :cost"
                + " WHEN NOT MATCHED THEN INSERT (usage_day, model, images, priced_images,"
                + " cost_micro_cny) VALUES (s.d, s.model, 1, 1, :cost)")
        .bind("day", day(at))
        .bind("model", model)
        .bind("cost", costMicroCny)
        .then()
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

  /** Every day and model with counts from {@code from} to {@code to}, both included, in order. */
  Flux<DayUsage> between(LocalDate from, LocalDate to) {
    return db.sql(
            "SELECT usage_day, model, tasks, images, completed, failed, cancelled, priced_images,"
                + " cost_micro_cny FROM usage_daily"
                + " WHERE usage_day BETWEEN :from AND :to ORDER BY usage_day, model")
        .bind("from", from)
        .bind("to", to)
        .map(
            row ->
                new DayUsage(
                    row.get("usage_day", LocalDate.class),
                    row.get("model", String.class),
                    row.get("tasks", Long.class),
                    row.get("images", Long.class),
                    row.get("completed", Long.class),
                    row.get("failed", Long.class),
                    row.get("cancelled", Long.class),
                    row.get("priced_images", Long.class),
                    row.get("cost_micro_cny", Long.class)))
        .all();
  }

  /** Images made from the start of {@code from} (UTC) on. */
  Mono<Long> imagesSince(LocalDate from) {
    return db.sql(
            "SELECT CAST(COALESCE(SUM(images), 0) AS BIGINT) AS n FROM usage_daily"
                + " WHERE usage_day >= :from")
        .bind("from", from)
        .map(row -> row.get("n", Long.class))
        .one()
        .defaultIfEmpty(0L);
  }

  static LocalDate day(Instant at) {
    return LocalDate.ofInstant(at.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
  }
}
