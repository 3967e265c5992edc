package com.volcstudio.provider;

import com.volcstudio.catalog.GenerationParams;
import com.volcstudio.upload.ReferenceImage;
import java.util.List;

/**
 * One image asked of a provider, in the app's terms rather than any wire protocol's: the task's
 * parameters (already validated against the model) with this image's seed, and its reference images
 * as the upstream takes them.
 *
 * @param seed this image's seed ({@code params.seed()} plus the image's index), or {@code -1} for
 *     the service to choose; this, not {@code params.seed()}, is what is sent
 * @param references the uploads {@code params.referenceImageIds()} names, read for the upstream;
 *     for an edit, its source and then its mask (single-channel, 255 = the area)
 */
public record ImageRequest(GenerationParams params, long seed, List<ReferenceImage> references) {}
