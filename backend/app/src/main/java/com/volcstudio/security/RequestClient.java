package com.volcstudio.security;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Who a request counts as for the per-client limits (submits, event streams): the logged-in user
 * wherever it connects from, else its address ({@link ClientAddress}).
 *
 * @param key {@code user:NAME} or {@code ip:ADDRESS}
 * @param loopback whether an anonymous client is on this machine (false for a user)
 */
record RequestClient(String key, boolean loopback) {

  static Mono<RequestClient> of(ServerWebExchange exchange) {
    return exchange
        .getPrincipal()
        .filter(principal -> !(principal instanceof AnonymousAuthenticationToken))
        .map(principal -> new RequestClient("user:" + principal.getName(), false))
        .switchIfEmpty(
            Mono.fromSupplier(
                () -> {
                  ClientAddress address = ClientAddress.of(exchange.getRequest());
                  return new RequestClient("ip:" + address.value(), address.loopback());
                }));
  }
}
