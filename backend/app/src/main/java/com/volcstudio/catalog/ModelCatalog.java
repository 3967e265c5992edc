package com.volcstudio.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The models the app offers. Read once at start from {@code catalog/models.json} on the classpath,
 * or from {@code DATA_DIR/models.json} when the user supplies one (to change prices or add a model
 * without rebuilding); that file replaces the built-in catalog as a whole.
 */
public final class ModelCatalog {

  private final Map<String, CatalogModel> models;
  private final List<CatalogModel> order;
  private final Map<String, String> operationDefaults;

  ModelCatalog(List<CatalogModel> models) {
    this(models, Map.of());
  }

  ModelCatalog(List<CatalogModel> models, Map<String, String> operationDefaults) {
    Map<String, CatalogModel> byId = new LinkedHashMap<>();
    models.forEach(m -> byId.put(m.id(), m));
    this.models = Map.copyOf(byId);
    this.order = List.copyOf(models);
    this.operationDefaults = Map.copyOf(operationDefaults);
  }

  /**
   * The catalog in {@code DATA_DIR/models.json} when there is one, else the built-in one. A file
   * that cannot be used stops the start with one line saying which file and why: silently falling
   * back to the built-in catalog would hide the user's prices and models.
   */
  public static ModelCatalog load(Path dataDir) {
    return load(dataDir, Map.of());
  }

  /** The catalog with the user's prices ({@code MODEL_PRICES_CNY}) over its own. */
  public static ModelCatalog load(Path dataDir, Map<String, Double> prices) {
    Path override = dataDir.resolve("models.json");
    boolean overridden = Files.isRegularFile(override);
    String source =
        overridden ? override.toAbsolutePath().toString() : "the built-in catalog/models.json";
    List<CatalogModel> models;
    Map<String, String> defaults;
    try (InputStream in =
        overridden
            ? Files.newInputStream(override)
            : new ClassPathResource("catalog/models.json").getInputStream()) {
      JsonMapper json =
          JsonMapper.builder()
              .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
              .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              // A flag left out is false (e.g. a range's "integer"); required numbers are checked
              // below.
              .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
              .build();
      CatalogFile file = json.readValue(in, CatalogFile.class);
      models = file == null || file.models() == null ? List.of() : file.models();
      defaults =
          file == null || file.operationDefaults() == null ? Map.of() : file.operationDefaults();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model catalog " + source, e);
    } catch (JacksonException e) {
      throw new IllegalStateException(
          "The model catalog "
              + source
              + " is not valid: "
              + e.getOriginalMessage()
              + "; fix it or remove it to use the built-in catalog.",
          e);
    }
    List<String> problems = problems(models);
    problems.addAll(operationProblems(models, defaults));
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "The model catalog "
              + source
              + " is not valid: "
              + String.join("; ", problems)
              + "; fix it or remove it to use the built-in catalog.");
    }
    return new ModelCatalog(ModelPrices.apply(models, prices), defaults);
  }

  /**
   * Operations the app does not know, editing models without their edit rule, and defaults that
   * name a model not serving their operation.
   */
  private static List<String> operationProblems(
      List<CatalogModel> models, Map<String, String> defaults) {
    List<String> problems = new ArrayList<>();
    Map<String, CatalogModel> byId = new LinkedHashMap<>();
    for (CatalogModel m : models) {
      if (m.id() == null) {
        continue;
      }
      byId.put(m.id(), m);
      for (String operation : m.serves()) {
        if (!operation.equals(Operations.GENERATE) && !Operations.EDITS.contains(operation)) {
          problems.add("model '" + m.id() + "': unknown operation '" + operation + "'");
        }
      }
      boolean edits = m.serves().stream().anyMatch(Operations.EDITS::contains);
      if (edits && (m.edit() == null || m.serves().contains(Operations.GENERATE))) {
        problems.add(
            "model '" + m.id() + "': an editing model needs an edit rule and does not generate");
      }
    }
    defaults.forEach(
        (operation, id) -> {
          CatalogModel m = byId.get(id);
          if (m == null || !m.serves(operation)) {
            problems.add(
                "operation_defaults."
                    + operation
                    + " names '"
                    + id
                    + "', which is not a model serving it");
          }
        });
    return problems;
  }

  /**
   * What a parser cannot see: an empty list, missing or repeated ids, unknown providers, impossible
   * ranges.
   */
  private static List<String> problems(List<CatalogModel> models) {
    List<String> problems = new ArrayList<>();
    if (models.isEmpty()) {
      problems.add("it lists no models");
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < models.size(); i++) {
      CatalogModel m = models.get(i);
      String at = "models[" + i + "]";
      if (m.id() == null || m.id().isBlank()) {
        problems.add(at + ".id is missing");
        continue;
      }
      at = "model '" + m.id() + "'";
      if (!ids.add(m.id())) {
        problems.add(at + " is listed twice");
      }
      if (!"visual".equals(m.provider()) && !"ark".equals(m.provider())) {
        problems.add(at + ": provider must be visual or ark");
      }
      if (m.reqKey() == null
          || m.action() == null
          || m.size() == null
          || m.params() == null
          || m.name() == null) {
        problems.add(at + ": req_key, action, name, size and params are required");
      }
      if (m.maxImages() < 1) {
        problems.add(at + ": max_images must be at least 1");
      }
      ReferenceImageRule refs = m.referenceImages();
      if (refs != null
          && (refs.min() < 0
              || refs.max() < Math.max(1, refs.min())
              || refs.maxBytes() <= 0
              || !(ReferenceImageRule.VISUAL_BASE64.equals(refs.upstream())
                  || ReferenceImageRule.ARK_IMAGE.equals(refs.upstream())))) {
        problems.add(
            at
                + ": reference_images needs 0 <= min <= max, max >= 1, max_bytes > 0 and upstream "
                + ReferenceImageRule.VISUAL_BASE64
                + " or "
                + ReferenceImageRule.ARK_IMAGE);
      }
    }
    for (CatalogModel m : models) {
      Lifecycle lifecycle = m.lifecycle();
      if (lifecycle != null
          && lifecycle.replacedBy() != null
          && (lifecycle.replacedBy().equals(m.id()) || !ids.contains(lifecycle.replacedBy()))) {
        problems.add(
            "model '"
                + m.id()
                + "': lifecycle.replaced_by '"
                + lifecycle.replacedBy()
                + "' is not another model of the catalog");
      }
    }
    return problems;
  }

  public List<CatalogModel> all() {
    return order;
  }

  public Optional<CatalogModel> find(String id) {
    return Optional.ofNullable(models.get(id));
  }

  /** The models serving an operation, its default first. */
  public List<CatalogModel> serving(String operation) {
    String preferred = operationDefaults.get(operation);
    List<CatalogModel> serving = new ArrayList<>();
    order.stream().filter(m -> m.id().equals(preferred)).forEach(serving::add);
    order.stream()
        .filter(m -> m.serves(operation) && !m.id().equals(preferred))
        .forEach(serving::add);
    return serving;
  }

  /** Each editing operation's default model. */
  public Map<String, String> operationDefaults() {
    return operationDefaults;
  }

  /**
   * The model used when a request names none: the proposal's {@code general_v2.0}, else the first.
   */
  public CatalogModel defaultModel() {
    return find("general_v2.0")
        .orElseGet(
            () ->
                order.stream()
                    .filter(m -> m.serves(Operations.GENERATE))
                    .findFirst()
                    .orElse(order.get(0)));
  }

  private record CatalogFile(
      @Nullable List<CatalogModel> models, @Nullable Map<String, String> operationDefaults) {}
}
