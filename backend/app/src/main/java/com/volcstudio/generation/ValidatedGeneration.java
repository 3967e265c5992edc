package com.volcstudio.generation;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.GenerationParams;
import com.volcstudio.catalog.SizeRule.UpstreamSize;

/**
 * A request that passed validation, with every default filled in from the model.
 *
 * @param model the model {@code params.model()} names
 */
record ValidatedGeneration(
    CatalogModel model, UpstreamSize upstreamSize, GenerationParams params) {}
