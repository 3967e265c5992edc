package com.volcstudio.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One audited action.
 *
 * @param actor the user name that acted (for a failed login, the name that was tried); "anonymous"
 *     with login off
 * @param action what was done, e.g. {@code user.changed}
 * @param target what it was done to (an account, a token's name, a provider)
 * @param address the client's address, as the studio sees it behind its trusted proxies
 * @param detail which fields changed, or why a login failed; never a value of a secret
 */
public record AuditEvent(
    String auditId,
    Instant at,
    String actor,
    String action,
    @Nullable String target,
    String address,
    @Nullable String detail) {}
