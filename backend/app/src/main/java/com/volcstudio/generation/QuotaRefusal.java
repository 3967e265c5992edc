package com.volcstudio.generation;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents the 429 an operation answers when it would take this month's images over {@code
 * MONTHLY_IMAGE_QUOTA} (usage.MonthlyQuota#admit): one description for every operation that submits
 * images.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ApiResponse(
    responseCode = "429",
    description =
        "MONTHLY_IMAGE_QUOTA would be exceeded (images made this month + queued + asked for):"
            + " code MONTHLY_QUOTA_EXCEEDED with used, reserved, limit, requested and resets_at;"
            + " nothing is stored or sent upstream",
    content =
        @Content(
            mediaType = "application/problem+json",
            schema = @Schema(ref = "#/components/schemas/Problem")))
@interface QuotaRefusal {}
