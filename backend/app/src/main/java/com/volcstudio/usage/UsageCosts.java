package com.volcstudio.usage;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.ModelCatalog;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.springframework.stereotype.Component;

/**
 * A ledger row's estimated cost: the price recorded with each image as it was stored (by its size,
 * where the price depends on it), and the catalog price × images for those counted before prices
 * were recorded. Estimates (docs/volcengine/PROTOCOL.md §11), and the answers say so.
 */
@Component
class UsageCosts {

  private final ModelCatalog catalog;

  UsageCosts(ModelCatalog catalog) {
    this.catalog = catalog;
  }

  BigDecimal of(UsageLedger.DayUsage day) {
    double price = catalog.find(day.model()).map(CatalogModel::priceCny).orElse(0.0);
    BigDecimal unpriced =
        BigDecimal.valueOf(price)
            .multiply(BigDecimal.valueOf(Math.max(0, day.images() - day.pricedImages())));
    return BigDecimal.valueOf(day.costMicroCny(), 6)
        .add(unpriced)
        .setScale(2, RoundingMode.HALF_UP);
  }
}
