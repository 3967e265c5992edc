package com.volcstudio.account;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A personal API token as listed: never the token itself, which is shown once when it is made.
 *
 * @param lastUsedAt when it last authenticated a request (to the minute); null = never
 */
public record ApiToken(
    String tokenId, String name, Instant createdAt, @Nullable Instant lastUsedAt) {}
