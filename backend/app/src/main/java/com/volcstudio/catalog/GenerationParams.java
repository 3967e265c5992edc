package com.volcstudio.catalog;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The parameters of one generation, checked against its model with every default filled in: what a
 * task is made with, stores, shows, and asks its provider for. Requests and presets say what they
 * <em>ask</em> for (null = the default) in their own shapes; the validator turns them into this.
 *
 * @param model the catalog model's id
 * @param negativePrompt empty when there is none
 * @param numImages images the task makes
 * @param seed the first image's seed (image {@code i} uses {@code seed + i}), or {@code -1} for a
 *     model without seeds
 * @param steps null when the model takes no steps
 * @param scale null when the model takes no scale
 * @param options the model's on/off switches by name, sent upstream as they are
 * @param referenceImageIds uploads sent as reference images, in order
 * @param operation {@code generate}, or the edit it makes ({@link Operations})
 * @param sourceImageId an edit's source among the stored images, or null
 * @param sourceUploadId an edit's source among the uploads, or null
 * @param maskUploadId the area an inpaint or erase works on, as uploaded, or null
 * @param expand how far an outpaint extends each side, as fractions of the source, or null
 * @param sequential the images are one related set, made by one streamed call (models that make
 *     sets only)
 */
public record GenerationParams(
    String model,
    String prompt,
    String negativePrompt,
    int width,
    int height,
    int numImages,
    long seed,
    @Nullable Integer steps,
    @Nullable Double scale,
    Map<String, Boolean> options,
    List<String> referenceImageIds,
    String operation,
    @Nullable String sourceImageId,
    @Nullable String sourceUploadId,
    @Nullable String maskUploadId,
    @Nullable Expand expand,
    boolean sequential) {

  /** A generation's parameters: no source, no mask; its images one set or not. */
  public static GenerationParams generation(
      String model,
      String prompt,
      String negativePrompt,
      int width,
      int height,
      int numImages,
      long seed,
      @Nullable Integer steps,
      @Nullable Double scale,
      Map<String, Boolean> options,
      List<String> referenceImageIds,
      boolean sequential) {
    return new GenerationParams(
        model,
        prompt,
        negativePrompt,
        width,
        height,
        numImages,
        seed,
        steps,
        scale,
        options,
        referenceImageIds,
        Operations.GENERATE,
        null,
        null,
        null,
        null,
        sequential);
  }

  /** An outpaint's extension per side, each a fraction of the source's side in [0, 1]. */
  public record Expand(double top, double right, double bottom, double left) {}

  public boolean makesEdit() {
    return !Operations.GENERATE.equals(operation);
  }
}
