package com.volcstudio.security;

import org.springframework.core.Ordered;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Who sees the health details (DATA_DIR's path and free space, the database): the health endpoint
 * shows them only to an authorized caller ({@code show-details: when-authorized}, role USER). With
 * login on that is the logged-in user. With login off nobody logs in, so a caller on this machine
 * counts as authorized for {@code /actuator/health/**} alone: the person at the machine, and the
 * container's own health check, may read why the app is DOWN; everybody else, including clients
 * that reach it through nginx (judged by the address nginx forwards, {@link ClientAddress}), gets
 * the status alone.
 *
 * <p>The endpoint reads the caller from Reactor's security context, so that is where this puts the
 * local caller, for these requests only. Runs after the security chain, whose empty context (login
 * off keeps none) it overrides.
 */
@Component
class LocalHealthDetails implements WebFilter, Ordered {

  private static final Authentication THIS_MACHINE =
      UsernamePasswordAuthenticationToken.authenticated(
          "this-machine", null, AuthorityUtils.createAuthorityList("ROLE_USER"));

  private final StudioSecurityProperties properties;

  LocalHealthDetails(StudioSecurityProperties properties) {
    this.properties = properties;
  }

  @Override
  public int getOrder() {
    return 10;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (properties.authEnabled()
        || !isHealth(exchange)
        || !ClientAddress.of(exchange.getRequest()).loopback()) {
      return chain.filter(exchange);
    }
    return chain
        .filter(exchange)
        .contextWrite(ReactiveSecurityContextHolder.withAuthentication(THIS_MACHINE));
  }

  private static boolean isHealth(ServerWebExchange exchange) {
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
  }
}
