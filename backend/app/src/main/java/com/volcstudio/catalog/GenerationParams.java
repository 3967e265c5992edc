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
    List<String> referenceImageIds) {}
