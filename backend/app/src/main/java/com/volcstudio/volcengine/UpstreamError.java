package com.volcstudio.volcengine;

/**
 * A failure answered by VolcEngine (or on the way to it), explained for people.
 *
 * @param code the upstream code: a business code such as {@code 50412}, a gateway code such as
 *     {@code SignatureDoesNotMatch}, or one of ours ({@code UPSTREAM_TIMEOUT}, {@code
 *     UPSTREAM_UNREACHABLE})
 * @param upstreamMessage what the service said, verbatim
 * @param httpStatus the HTTP status received, 0 when none was
 * @param retryable whether trying again may succeed (docs/volcengine/PROTOCOL.md §5)
 * @param messageZh explanation in Chinese
 * @param messageEn explanation in English
 */
public record UpstreamError(
    String code,
    String upstreamMessage,
    int httpStatus,
    boolean retryable,
    String messageZh,
    String messageEn) {}
