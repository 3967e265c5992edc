package com.volcstudio.generation;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/edits}: one operation on one image, a stored one or an upload.
 *
 * @param operation {@code inpaint}, {@code erase}, {@code outpaint}, {@code upscale} or {@code
 *     remove_background}
 * @param model an editing model serving the operation; by default the operation's default model, or
 *     the next one whose limits the source meets
 * @param prompt what to paint: required for {@code inpaint}, optional for {@code outpaint}, not
 *     taken by the others
 * @param maskUploadId the area to repaint or erase, the source's size: a black-and-white image
 *     (white = the area) or an RGBA image whose painted, opaque pixels mark it
 * @param expand how far {@code outpaint} extends each side, as a fraction of the source's side
 * @param seed for the models that take one; random when left out
 */
record EditRequest(
    @Nullable String sourceImageId,
    @Nullable String sourceUploadId,
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            allowableValues = {"inpaint", "erase", "outpaint", "upscale", "remove_background"})
        @Nullable String operation,
    @Nullable String model,
    @Nullable String prompt,
    @Nullable String maskUploadId,
    @Nullable ExpandBy expand,
    @Nullable Long seed) {

  /** Fractions of the source's width (left, right) and height (top, bottom), each 0–1. */
  record ExpandBy(
      @Nullable Double top,
      @Nullable Double right,
      @Nullable Double bottom,
      @Nullable Double left) {}
}
