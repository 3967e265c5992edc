package com.volcstudio.catalog;

import com.volcstudio.config.InvalidSettingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code MODEL_PRICES_CNY}: the user's own price per image of some models, e.g. {@code
 * seedream_4.0=0.2,general_v2.0=0.12}, over the catalog's defaults. No official price list was
 * found (docs/volcengine/PROTOCOL.md §11), so the shipped figures are estimates and most are 0; the
 * usage statistics and batch estimates multiply by these.
 */
final class ModelPrices {

  static final String VARIABLE = "MODEL_PRICES_CNY";

  private ModelPrices() {}

  /** The prices the setting gives, by model id; a malformed entry stops the start, naming it. */
  static Map<String, Double> parse(@Nullable String setting) {
    Map<String, Double> prices = new LinkedHashMap<>();
    if (setting == null || setting.isBlank()) {
      return prices;
    }
    for (String entry : setting.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int equals = entry.indexOf('=');
      String id = equals < 0 ? "" : entry.substring(0, equals).strip();
      String price = equals < 0 ? "" : entry.substring(equals + 1).strip();
      double value;
      try {
        value = Double.parseDouble(price);
      } catch (NumberFormatException e) {
        value = Double.NaN;
      }
      if (id.isEmpty() || !Double.isFinite(value) || value < 0) {
        throw new InvalidSettingException(
            VARIABLE,
            "entry '"
                + entry.strip()
                + "' is not valid: expected model=price with a price of 0 or more, e.g."
                + " seedream_4.0=0.2,general_v2.0=0.12");
      }
      prices.put(id, value);
    }
    return prices;
  }

  /** The models with their prices replaced; an id the catalog does not have stops the start. */
  static List<CatalogModel> apply(List<CatalogModel> models, Map<String, Double> prices) {
    for (String id : prices.keySet()) {
      if (models.stream().noneMatch(m -> m.id().equals(id))) {
        throw new InvalidSettingException(
            VARIABLE,
            "names '"
                + id
                + "', which is not in the model catalog; models: "
                + String.join(", ", models.stream().map(CatalogModel::id).toList()));
      }
    }
    return models.stream()
        .map(m -> prices.containsKey(m.id()) ? m.withPriceCny(prices.get(m.id())) : m)
        .toList();
  }
}
