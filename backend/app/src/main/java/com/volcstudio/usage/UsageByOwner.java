package com.volcstudio.usage;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** This month's usage of every owner, for the admin's list of accounts. */
@Component
public class UsageByOwner {

  /** One owner's calendar month (UTC) so far; the cost is an estimate. */
  public record Month(long tasks, long images, BigDecimal estimatedCostCny) {
    public static final Month NONE = new Month(0, 0, BigDecimal.ZERO.setScale(2));

    Month add(Month other) {
      return new Month(
          tasks + other.tasks, images + other.images, estimatedCostCny.add(other.estimatedCostCny));
    }
  }

  private final UsageLedger ledger;
  private final UsageCosts costs;
  private final MonthlyQuota quota;

  UsageByOwner(UsageLedger ledger, UsageCosts costs, MonthlyQuota quota) {
    this.ledger = ledger;
    this.costs = costs;
    this.quota = quota;
  }

  /** By owner key; an owner without usage this month is absent. */
  public Mono<Map<String, Month>> thisMonth() {
    return ledger
        .byOwnerAndModel(quota.monthStart(), quota.today())
        .reduce(
            new HashMap<String, Month>(),
            (months, row) -> {
              UsageLedger.DayUsage usage = row.getValue();
              months.merge(
                  row.getKey(),
                  new Month(usage.tasks(), usage.images(), costs.of(usage)),
                  Month::add);
              return months;
            })
        .map(Map::copyOf);
  }
}
