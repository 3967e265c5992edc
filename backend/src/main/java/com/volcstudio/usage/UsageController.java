package com.volcstudio.usage;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.image.ImageStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/usage}: what was generated today and this month (UTC), per model, with the
 * catalog's estimated cost. A read model over the generation tables: it only counts, never changes
 * them.
 */
@RestController
class UsageController {

  record Counts(long tasks, long completed, long failed, long cancelled, long images) {}

  record ModelUsage(String model, long images, BigDecimal estimatedCostCny) {}

  record Usage(
      Counts today,
      Counts month,
      List<ModelUsage> byModel,
      BigDecimal estimatedCostCny,
      MonthlyQuota.Quota quota,
      boolean costIsEstimate) {}

  private final DatabaseClient db;
  private final ModelCatalog catalog;
  private final ImageStore images;
  private final MonthlyQuota quota;

  UsageController(DatabaseClient db, ModelCatalog catalog, ImageStore images, MonthlyQuota quota) {
    this.db = db;
    this.catalog = catalog;
    this.images = images;
    this.quota = quota;
  }

  @GetMapping("/api/v1/usage")
  Mono<Usage> usage() {
    Instant dayStart = quota.today().atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant monthStart = quota.monthStart();
    return Mono.zip(counts(dayStart), counts(monthStart), imagesByModel(monthStart))
        .map(
            t -> {
              List<ModelUsage> byModel =
                  t.getT3().entrySet().stream()
                      .map(
                          e ->
                              new ModelUsage(
                                  e.getKey(), e.getValue(), cost(e.getKey(), e.getValue())))
                      .sorted((a, b) -> Long.compare(b.images(), a.images()))
                      .toList();
              BigDecimal total =
                  byModel.stream()
                      .map(ModelUsage::estimatedCostCny)
                      .reduce(BigDecimal.ZERO, BigDecimal::add);
              return new Usage(
                  t.getT1(),
                  t.getT2(),
                  byModel,
                  total,
                  // The month's image count is the quota's, counted once for both.
                  quota.of(t.getT2().images()),
                  true);
            });
  }

  private Mono<Counts> counts(Instant since) {
    Mono<Map<String, Long>> byStatus =
        db.sql(
                "SELECT status, COUNT(*) AS n FROM generation_task WHERE created_at >= :since GROUP BY status")
            .bind("since", utc(since))
            .map(row -> Map.entry(row.get("status", String.class), row.get("n", Long.class)))
            .all()
            .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    return Mono.zip(byStatus, images.countCreatedSince(since))
        .map(
            t -> {
              Map<String, Long> s = t.getT1();
              long tasks = s.values().stream().mapToLong(Long::longValue).sum();
              return new Counts(
                  tasks,
                  s.getOrDefault("completed", 0L),
                  s.getOrDefault("failed", 0L),
                  s.getOrDefault("cancelled", 0L),
                  t.getT2());
            });
  }

  private Mono<Map<String, Long>> imagesByModel(Instant since) {
    return db.sql(
            "SELECT t.model AS model, COUNT(*) AS n FROM stored_image i JOIN generation_task t ON t.id = i.task_id"
                + " WHERE i.created_at >= :since GROUP BY t.model")
        .bind("since", utc(since))
        .map(row -> Map.entry(row.get("model", String.class), row.get("n", Long.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
  }

  /** Catalog price × images; the prices are estimates (PROTOCOL §11), and the response says so. */
  private BigDecimal cost(String modelId, long images) {
    double price = catalog.find(modelId).map(CatalogModel::priceCny).orElse(0.0);
    return BigDecimal.valueOf(price)
        .multiply(BigDecimal.valueOf(images))
        .setScale(2, RoundingMode.HALF_UP);
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
