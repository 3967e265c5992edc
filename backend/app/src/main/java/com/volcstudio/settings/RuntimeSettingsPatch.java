package com.volcstudio.settings;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.catalog.Operations;
import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Checks a {@code PATCH /api/v1/settings} body and merges it into the current overrides. Every
 * wrong field is reported at once; nothing is applied unless all of it is valid. For the limits
 * (which always have a value) {@code null} means "back to the environment's value"; for the
 * defaults and retention settings it means "none".
 */
final class RuntimeSettingsPatch {

  private enum Kind {
    INTEGER,
    NUMBER,
    MODEL
  }

  /** A field's type, range and whether null is a value of its own (else null resets it). */
  private record Rule(Kind kind, double min, double max, boolean nullable) {}

  private static final Map<String, Rule> RULES = rules();

  private static Map<String, Rule> rules() {
    Map<String, Rule> rules = new LinkedHashMap<>();
    rules.put("volc_qps", new Rule(Kind.NUMBER, 0.1, 1000, false));
    rules.put("volc_concurrency", new Rule(Kind.INTEGER, 1, 1000, false));
    rules.put("ark_rpm", new Rule(Kind.INTEGER, 1, 100_000, false));
    rules.put("ark_concurrency", new Rule(Kind.INTEGER, 1, 1000, false));
    rules.put("max_concurrent_tasks", new Rule(Kind.INTEGER, 1, 100, false));
    rules.put("default_model", new Rule(Kind.MODEL, 0, 0, true));
    rules.put("default_width", new Rule(Kind.INTEGER, 1, 16_384, true));
    rules.put("default_height", new Rule(Kind.INTEGER, 1, 16_384, true));
    rules.put("default_num_images", new Rule(Kind.INTEGER, 1, 100, true));
    rules.put("max_history_days", new Rule(Kind.INTEGER, 1, 36_500, true));
    rules.put("max_storage_gb", new Rule(Kind.NUMBER, 0.001, 1_000_000, true));
    rules.put("monthly_image_quota", new Rule(Kind.INTEGER, 1, 100_000_000, true));
    return Map.copyOf(rules);
  }

  private RuntimeSettingsPatch() {}

  /**
   * The overrides after this patch; {@link InvalidRequestException} naming each wrong field
   * otherwise.
   */
  static Map<String, JsonNode> merge(
      @Nullable JsonNode body, CurrentSettings settings, ModelCatalog catalog) {
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException(
          "body", "must be a JSON object with the settings to change");
    }
    List<FieldViolation> violations = new ArrayList<>();
    Map<String, JsonNode> next = new LinkedHashMap<>(settings.overrides());
    for (Map.Entry<String, JsonNode> field : body.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      Rule rule = RULES.get(name);
      if (rule == null) {
        violations.add(
            new FieldViolation(
                name,
                "unknown setting; settable: "
                    + String.join(", ", RULES.keySet().stream().sorted().toList())));
        continue;
      }
      if (value.isNull()) {
        if (rule.nullable()) {
          next.put(name, value);
        } else {
          next.remove(name);
        }
        continue;
      }
      String problem = check(rule, value, catalog);
      if (problem != null) {
        violations.add(new FieldViolation(name, problem));
      } else {
        next.put(name, value);
      }
    }
    if (violations.isEmpty()) {
      crossCheck(settings.with(next), catalog, violations);
    }
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    return next;
  }

  private static @Nullable String check(Rule rule, JsonNode value, ModelCatalog catalog) {
    return switch (rule.kind()) {
      case MODEL ->
          !value.isString()
              ? "must be a model id or null"
              : catalog
                      .find(value.asString())
                      .filter(m -> m.serves(Operations.GENERATE))
                      .isPresent()
                  ? null
                  : "unknown model '"
                      + value.asString()
                      + "'; available: "
                      + catalog.serving(Operations.GENERATE).stream()
                          .map(CatalogModel::id)
                          .collect(Collectors.joining(", "));
      case INTEGER ->
          !value.isIntegralNumber()
                  || !value.canConvertToLong()
                  || value.asLong() < rule.min()
                  || value.asLong() > rule.max()
              ? "must be a whole number from "
                  + (long) rule.min()
                  + " to "
                  + (long) rule.max()
                  + (rule.nullable() ? ", or null" : "")
              : null;
      case NUMBER ->
          !value.isNumber()
                  || !Double.isFinite(value.asDouble())
                  || value.asDouble() < rule.min()
                  || value.asDouble() > rule.max()
              ? "must be a number from "
                  + rule.min()
                  + " to "
                  + (long) rule.max()
                  + (rule.nullable() ? ", or null" : "")
              : null;
    };
  }

  /** The defaults must be something the default model can make. */
  private static void crossCheck(
      RuntimeSettings candidate, ModelCatalog catalog, List<FieldViolation> violations) {
    CatalogModel model =
        candidate.defaultModel() == null
            ? catalog.defaultModel()
            : catalog.find(candidate.defaultModel()).orElse(catalog.defaultModel());
    Integer width = candidate.defaultWidth();
    Integer height = candidate.defaultHeight();
    if ((width == null) != (height == null)) {
      violations.add(
          new FieldViolation(
              width == null ? "default_width" : "default_height",
              "default_width and default_height are set together (or both null)"));
    } else if (width != null && model.size().resolve(width, height).isEmpty()) {
      violations.add(
          new FieldViolation(
              "default_width",
              width
                  + "×"
                  + height
                  + " is not a size model '"
                  + model.id()
                  + "' makes: "
                  + model.size().describe()));
    }
    Integer count = candidate.defaultNumImages();
    if (count != null && count > model.maxImages()) {
      violations.add(
          new FieldViolation(
              "default_num_images",
              "model '"
                  + model.id()
                  + "' makes at most "
                  + model.maxImages()
                  + " images per task"));
    }
  }
}
