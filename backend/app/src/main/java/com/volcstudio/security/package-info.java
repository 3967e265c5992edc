/**
 * Who may use the API and how often: optional login (basic or session cookie with CSRF), the
 * per-client submit rate limit, CORS and the security headers the backend sends when it serves the
 * UI itself.
 */
@NullMarked
package com.volcstudio.security;

import org.jspecify.annotations.NullMarked;
