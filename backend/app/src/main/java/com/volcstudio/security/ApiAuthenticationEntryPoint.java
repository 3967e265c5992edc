package com.volcstudio.security;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * 401 as problem+json. The {@code WWW-Authenticate: Basic} challenge goes only to clients that want
 * it: one that sent Basic credentials, or one that is plainly not a browser page (neither the UI's
 * {@code X-Requested-With} nor the {@code Sec-Fetch-Mode} every current browser sends). A browser
 * that got the challenge would pop up its own login box over the UI's dialog, and would then send
 * the cached password with every request, which CSRF protection (bound to the session cookie) would
 * not cover.
 */
final class ApiAuthenticationEntryPoint implements ServerAuthenticationEntryPoint {

  static final String REALM = "Basic realm=\"Volc Image Studio\", charset=\"UTF-8\"";

  private final ProblemWriter problems;

  ApiAuthenticationEntryPoint(ProblemWriter problems) {
    this.problems = problems;
  }

  @Override
  public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
    if (failure instanceof LoginThrottledException throttled) {
      exchange
          .getResponse()
          .getHeaders()
          .set(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
      return problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, throttled.detail());
    }
    if (wantsBasicChallenge(exchange.getRequest())) {
      exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, REALM);
    }
    String detail =
        failure instanceof BadCredentialsException
            ? "Wrong user name or password."
            : "Log in first: POST /api/v1/auth/login, or send HTTP Basic credentials.";
    return problems.write(exchange, HttpStatus.UNAUTHORIZED, detail);
  }

  static boolean wantsBasicChallenge(ServerHttpRequest request) {
    HttpHeaders headers = request.getHeaders();
    String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return true;
    }
    return !headers.containsHeader("X-Requested-With") && !headers.containsHeader("Sec-Fetch-Mode");
  }
}
