package com.volcstudio.generation;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.SizeRule.UpstreamSize;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A request that passed validation, with every default filled in from the model. */
record ValidatedGeneration(
    CatalogModel model,
    String prompt,
    String negativePrompt,
    int width,
    int height,
    UpstreamSize upstreamSize,
    int numImages,
    long seed,
    @Nullable Integer steps,
    @Nullable Double scale,
    Map<String, Boolean> options,
    List<String> referenceImageIds) {}
