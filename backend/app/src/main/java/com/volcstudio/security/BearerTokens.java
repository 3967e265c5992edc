package com.volcstudio.security;

import com.volcstudio.account.Accounts;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import reactor.core.publisher.Mono;

/**
 * {@code Authorization: Bearer vis_…}: a personal API token (account.TokenController), checked on
 * every request and remembered nowhere, like Basic. An unknown, revoked or malformed token, or one
 * whose account is disabled, gets the same 401 as a wrong password.
 */
final class BearerTokens {

  private static final String PREFIX = "Bearer ";

  private BearerTokens() {}

  static AuthenticationWebFilter filter(Accounts accounts, ApiAuthenticationEntryPoint entryPoint) {
    ReactiveAuthenticationManager tokens =
        authentication ->
            accounts
                .authenticateToken(String.valueOf(authentication.getCredentials()))
                .switchIfEmpty(
                    Mono.error(() -> new BadCredentialsException("unknown or revoked token")));
    AuthenticationWebFilter filter = new AuthenticationWebFilter(tokens);
    filter.setRequiresAuthenticationMatcher(
        exchange ->
            bearer(exchange.getRequest().getHeaders()) != null
                ? ServerWebExchangeMatcher.MatchResult.match()
                : ServerWebExchangeMatcher.MatchResult.notMatch());
    filter.setServerAuthenticationConverter(
        exchange ->
            Mono.justOrEmpty(bearer(exchange.getRequest().getHeaders()))
                .map(token -> new TokenAttempt(token)));
    filter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
    filter.setAuthenticationFailureHandler(
        new ServerAuthenticationEntryPointFailureHandler(entryPoint));
    return filter;
  }

  private static @Nullable String bearer(HttpHeaders headers) {
    String value = headers.getFirst(HttpHeaders.AUTHORIZATION);
    return value != null && value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        ? value.substring(PREFIX.length()).strip()
        : null;
  }

  /** The token as presented, before it is checked; never printed. */
  private static final class TokenAttempt
      extends org.springframework.security.authentication.AbstractAuthenticationToken {

    private final String token;

    TokenAttempt(String token) {
      super(java.util.List.of());
      this.token = token;
    }

    @Override
    public Object getCredentials() {
      return token;
    }

    @Override
    public Object getPrincipal() {
      return "token";
    }

    @Override
    public String toString() {
      return "TokenAttempt[****]";
    }
  }
}
