package com.volcstudio.provider;

import com.volcstudio.upload.ReferenceImage;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One image asked of a provider, in the app's terms rather than any wire protocol's: the task's
 * parameters (already validated against the model) with this image's seed, and its reference images
 * as the upstream takes them.
 *
 * @param seed this image's seed, or {@code -1} for the service to choose
 * @param options the model's boolean options by their upstream names
 */
public record ImageRequest(
    String prompt,
    int width,
    int height,
    long seed,
    @Nullable Integer steps,
    @Nullable Double scale,
    Map<String, Boolean> options,
    List<ReferenceImage> references) {}
