package com.volcstudio.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The models the app offers. Read once at start from {@code catalog/models.json} on the classpath, or
 * from {@code DATA_DIR/models.json} when the user supplies one (to change prices or add a model
 * without rebuilding).
 */
public final class ModelCatalog {

  private final Map<String, CatalogModel> models;
  private final List<CatalogModel> order;

  ModelCatalog(List<CatalogModel> models) {
    Map<String, CatalogModel> byId = new LinkedHashMap<>();
    models.forEach(m -> byId.put(m.id(), m));
    this.models = Map.copyOf(byId);
    this.order = List.copyOf(models);
  }

  public static ModelCatalog load(Path dataDir) {
    Path override = dataDir.resolve("models.json");
    try (InputStream in = Files.isRegularFile(override)
        ? Files.newInputStream(override)
        : new ClassPathResource("catalog/models.json").getInputStream()) {
      JsonMapper json = JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();
      return new ModelCatalog(json.readValue(in, CatalogFile.class).models());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model catalog", e);
    }
  }

  public List<CatalogModel> all() {
    return order;
  }

  public Optional<CatalogModel> find(String id) {
    return Optional.ofNullable(models.get(id));
  }

  /** The model used when a request names none: the proposal's {@code general_v2.0}, else the first. */
  public CatalogModel defaultModel() {
    return find("general_v2.0").orElse(order.get(0));
  }

  private record CatalogFile(List<CatalogModel> models) {}
}
