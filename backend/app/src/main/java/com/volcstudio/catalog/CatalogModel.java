package com.volcstudio.catalog;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One model of the catalog ({@code catalog/models.json}).
 *
 * @param provider {@code visual} (signed AK/SK) or {@code ark} (bearer key)
 * @param upstreamFixed fields always sent as they are, e.g. {@code model_version}
 * @param maxImages images one task may ask for
 * @param maxImagesPerCall images one upstream call returns; more are made with more calls
 * @param options on/off switches the user may set, sent upstream by name
 * @param referenceImages the reference images it takes, or null for a text-only model
 * @param lifecycle deprecation and retirement, or null for a model the provider serves as usual
 * @param operations what it does ({@link Operations}); null or empty means {@code generate}
 * @param edit how an editing model takes its source, or null for a model that only generates
 * @param priceTiers the price by the image's pixels where it depends on them (Seedream 5.0 Pro:
 *     0.30 up to 2.61 MP, 0.60 above, PROTOCOL-2026-12 §2), cheapest first; null = {@code priceCny}
 *     for every size
 * @param sequential whether it makes related image sets, streamed as they are painted (Ark's {@code
 *     sequential_image_generation: auto} with {@code stream: true}, PROTOCOL-2026-12 §2)
 */
public record CatalogModel(
    String id,
    String provider,
    String reqKey,
    String action,
    LocalizedText name,
    LocalizedText description,
    Map<String, Object> upstreamFixed,
    SizeRule size,
    int maxImages,
    int maxImagesPerCall,
    int promptMaxChars,
    boolean negativePrompt,
    Params params,
    List<ModelOption> options,
    int typicalLatencyMs,
    double priceCny,
    @Nullable ReferenceImageRule referenceImages,
    @Nullable Lifecycle lifecycle,
    @Nullable List<String> operations,
    @Nullable EditRule edit,
    @Nullable List<PriceTier> priceTiers,
    boolean sequential) {

  /** One step of a size-dependent price: up to {@code maxPixels} (null = any size above). */
  public record PriceTier(@Nullable Long maxPixels, double priceCny) {}

  /** The estimated price of one image of {@code pixels} (width × height). */
  public double priceFor(long pixels) {
    if (priceTiers == null) {
      return priceCny;
    }
    for (PriceTier tier : priceTiers) {
      if (tier.maxPixels() == null || pixels <= tier.maxPixels()) {
        return tier.priceCny();
      }
    }
    return priceCny;
  }

  /** What it does: its catalog operations, {@code generate} when it names none. */
  public List<String> serves() {
    return operations == null || operations.isEmpty() ? List.of(Operations.GENERATE) : operations;
  }

  public boolean serves(String operation) {
    return serves().contains(operation);
  }

  /**
   * The same model at the user's price ({@code MODEL_PRICES_CNY}): one price for every size, the
   * catalog's tiers set aside.
   */
  CatalogModel withPriceCny(double price) {
    return new CatalogModel(
        id,
        provider,
        reqKey,
        action,
        name,
        description,
        upstreamFixed,
        size,
        maxImages,
        maxImagesPerCall,
        promptMaxChars,
        negativePrompt,
        params,
        options,
        typicalLatencyMs,
        price,
        referenceImages,
        lifecycle,
        operations,
        edit,
        null,
        sequential);
  }

  /** Tunable parameters; a null range means the model does not take that parameter. */
  public record Params(@Nullable ParamRange steps, @Nullable ParamRange scale, boolean seed) {}
}
