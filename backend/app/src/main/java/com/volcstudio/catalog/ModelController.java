package com.volcstudio.catalog;

import com.volcstudio.connection.Providers;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/models}: the catalog as the UI needs it, with each model's availability. */
@RestController
class ModelController {

  record SizeView(
      int min, int max, int defaultWidth, int defaultHeight, List<SizeRule.SizePreset> presets) {}

  record ModelView(
      String id,
      String provider,
      LocalizedText name,
      LocalizedText description,
      boolean available,
      @Nullable String unavailableReason,
      int maxImages,
      int promptMaxChars,
      boolean negativePrompt,
      SizeView size,
      CatalogModel.Params params,
      List<ModelOption> options,
      int typicalLatencyMs,
      double priceCny,
      @Nullable List<CatalogModel.PriceTier> priceTiers,
      @Nullable ReferenceImagesView referenceImages,
      @Nullable Lifecycle lifecycle,
      List<String> operations,
      @Nullable EditRule edit,
      boolean sequential) {}

  /**
   * How many reference images a model takes (CONTRACTS "reference images"); null on the model =
   * text only.
   */
  record ReferenceImagesView(int min, int max) {}

  /**
   * @param operationDefaults each editing operation's default model ({@code POST /api/v1/edits})
   */
  record Models(List<ModelView> models, Map<String, String> operationDefaults) {}

  private final ModelCatalog catalog;
  private final Providers providers;

  ModelController(ModelCatalog catalog, Providers providers) {
    this.catalog = catalog;
    this.providers = providers;
  }

  @GetMapping("/api/v1/models")
  Models models() {
    return new Models(catalog.all().stream().map(this::view).toList(), catalog.operationDefaults());
  }

  private ModelView view(CatalogModel m) {
    String reason = providers.unavailableReason(m.provider()).orElse(null);
    SizeRule s = m.size();
    return new ModelView(
        m.id(),
        m.provider(),
        m.name(),
        m.description(),
        reason == null,
        reason,
        m.maxImages(),
        m.promptMaxChars(),
        m.negativePrompt(),
        new SizeView(s.min(), s.max(), s.defaultWidth(), s.defaultHeight(), s.presets()),
        m.params(),
        m.options(),
        m.typicalLatencyMs(),
        m.priceCny(),
        m.priceTiers(),
        m.referenceImages() == null
            ? null
            : new ReferenceImagesView(m.referenceImages().min(), m.referenceImages().max()),
        m.lifecycle(),
        m.serves(),
        m.edit(),
        m.sequential());
  }
}
