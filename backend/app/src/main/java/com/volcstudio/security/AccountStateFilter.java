package com.volcstudio.security;

import com.volcstudio.account.Accounts;
import com.volcstudio.account.CallerPrincipal;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * A login session outlives a change to its account: every request of an authenticated account asks
 * whether it still exists and is enabled (Accounts#active, cached for half a second), and a
 * disabled or deleted account's session ends there with a 401.
 */
final class AccountStateFilter implements WebFilter {

  private final Accounts accounts;
  private final ProblemWriter problems;

  AccountStateFilter(Accounts accounts, ProblemWriter problems) {
    this.accounts = accounts;
    this.problems = problems;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    return ReactiveSecurityContextHolder.getContext()
        .mapNotNull(context -> context.getAuthentication())
        .mapNotNull(
            authentication ->
                authentication.getPrincipal() instanceof CallerPrincipal principal
                    ? principal
                    : null)
        .flatMap(principal -> accounts.active(principal.caller().userId()))
        .defaultIfEmpty(true)
        .flatMap(
            active ->
                active
                    ? chain.filter(exchange)
                    : exchange
                        .getSession()
                        .flatMap(WebSession::invalidate)
                        .then(
                            problems.write(
                                exchange,
                                HttpStatus.UNAUTHORIZED,
                                "This account has been disabled or removed.")));
  }
}
