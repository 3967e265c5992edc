package com.volcstudio.usage;

import com.volcstudio.web.InvalidRequestException;
import io.swagger.v3.oas.annotations.Parameter;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/usage?from=&to=}: what was generated per UTC day and model, with the catalog's
 * estimated cost, plus today, this month and the quota. Read from the usage ledger, which history
 * deletions do not touch.
 */
@RestController
class UsageController {

  /** The longest range one request may ask for, so an answer stays small. */
  static final int MAX_DAYS = 366;

  record Counts(long tasks, long completed, long failed, long cancelled, long images) {
    static final Counts NONE = new Counts(0, 0, 0, 0, 0);

    static Counts of(UsageLedger.DayUsage d) {
      return new Counts(d.tasks(), d.completed(), d.failed(), d.cancelled(), d.images());
    }

    Counts add(Counts o) {
      return new Counts(
          tasks + o.tasks,
          completed + o.completed,
          failed + o.failed,
          cancelled + o.cancelled,
          images + o.images);
    }
  }

  record DayUsage(
      LocalDate date,
      String model,
      long tasks,
      long completed,
      long failed,
      long cancelled,
      long images,
      BigDecimal estimatedCostCny) {}

  record ModelUsage(
      String model, long tasks, long failed, long images, BigDecimal estimatedCostCny) {}

  /**
   * @param from first day of the range (UTC), default the first of this month
   * @param to last day of the range (UTC), included, default today
   * @param period the range's counts; {@code days}, {@code by_model} and {@code estimated_cost_cny}
   *     cover the range too
   */
  record Usage(
      LocalDate from,
      LocalDate to,
      Counts today,
      Counts month,
      Counts period,
      List<DayUsage> days,
      List<ModelUsage> byModel,
      BigDecimal estimatedCostCny,
      MonthlyQuota.Quota quota,
      boolean costIsEstimate) {}

  private final UsageCosts costs;
  private final UsageLedger ledger;
  private final MonthlyQuota quota;
  private final UsageOwners owners;

  UsageController(UsageCosts costs, UsageLedger ledger, MonthlyQuota quota, UsageOwners owners) {
    this.costs = costs;
    this.ledger = ledger;
    this.quota = quota;
    this.owners = owners;
  }

  @GetMapping("/api/v1/usage")
  Mono<Usage> usage(
      @Parameter(
              description = "First UTC day, default the first of this month",
              example = "2026-11-01")
          @RequestParam(required = false)
          @Nullable String from,
      @Parameter(description = "Last UTC day, included; default today", example = "2026-11-28")
          @RequestParam(required = false)
          @Nullable String to,
      @Parameter(
              description =
                  "Admins: this user's usage, or 'all' for everybody's, instead of their own"
                      + " (login on; a member may name only themselves)")
          @RequestParam(name = "user_id", required = false)
          @Nullable String userId) {
    LocalDate today = quota.today();
    LocalDate monthStart = quota.monthStart();
    LocalDate first = date("from", from, monthStart);
    // Without a to, the range ends today, or on from's own day if that is later: a from alone is
    // never refused for a to nobody sent.
    LocalDate last = date("to", to, first.isAfter(today) ? first : today);
    if (last.isBefore(first)) {
      throw new InvalidRequestException("to", "must not be before from (" + first + ")");
    }
    if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
      throw new InvalidRequestException(
          "to", "at most " + MAX_DAYS + " days from from (" + first + ")");
    }
    return owners
        .visibleOwner(userId)
        .flatMap(
            owner ->
                Mono.zip(
                    ledger.between(monthStart, today, owner.orElse(null)).collectList(),
                    ledger.between(first, last, owner.orElse(null)).collectList()))
        .map(
            t -> {
              Counts todays = sum(t.getT1().stream().filter(d -> d.date().equals(today)).toList());
              Counts months = sum(t.getT1());
              List<UsageLedger.DayUsage> rows = t.getT2();
              List<DayUsage> days =
                  rows.stream()
                      .map(
                          d ->
                              new DayUsage(
                                  d.date(),
                                  d.model(),
                                  d.tasks(),
                                  d.completed(),
                                  d.failed(),
                                  d.cancelled(),
                                  d.images(),
                                  costs.of(d)))
                      .toList();
              List<ModelUsage> byModel = byModel(rows);
              BigDecimal total =
                  byModel.stream()
                      .map(ModelUsage::estimatedCostCny)
                      .reduce(BigDecimal.ZERO, BigDecimal::add);
              return new Usage(
                  first,
                  last,
                  todays,
                  months,
                  sum(rows),
                  days,
                  byModel,
                  total,
                  // The month's image count is the quota's, counted once for both.
                  quota.of(months.images()),
                  true);
            });
  }

  private List<ModelUsage> byModel(List<UsageLedger.DayUsage> rows) {
    Map<String, Counts> perModel = new LinkedHashMap<>();
    Map<String, BigDecimal> perModelCost = new LinkedHashMap<>();
    rows.forEach(
        d -> {
          perModel.merge(d.model(), Counts.of(d), Counts::add);
          perModelCost.merge(d.model(), costs.of(d), BigDecimal::add);
        });
    return perModel.entrySet().stream()
        .map(
            e ->
                new ModelUsage(
                    e.getKey(),
                    e.getValue().tasks(),
                    e.getValue().failed(),
                    e.getValue().images(),
                    perModelCost.get(e.getKey())))
        .sorted(Comparator.comparingLong(ModelUsage::images).reversed())
        .toList();
  }

  private static Counts sum(List<UsageLedger.DayUsage> rows) {
    return rows.stream().map(Counts::of).reduce(Counts.NONE, Counts::add);
  }

  private static LocalDate date(String field, @Nullable String value, LocalDate fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(field, "must be a date like 2026-11-01 (a UTC day)");
    }
  }
}
