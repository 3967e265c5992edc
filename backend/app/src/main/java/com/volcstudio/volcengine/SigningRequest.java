package com.volcstudio.volcengine;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the signer needs to know about a request: the exact bytes and headers that will be sent.
 *
 * @param method HTTP method, e.g. {@code POST}
 * @param host the Host header value as it will be sent (a non-default port included)
 * @param path the raw, unencoded path ({@code /} for the visual API)
 * @param query query parameters in request order; a {@code null} value is a bare name
 * @param headers headers already on the request, in order
 * @param body the exact body bytes, or {@code null} for no body
 */
public record SigningRequest(
    String method,
    String host,
    String path,
    List<Map.Entry<String, @Nullable String>> query,
    List<Map.Entry<String, String>> headers,
    byte @Nullable [] body) {}
