package com.volcstudio.security;

import java.util.List;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.session.WebSessionIdResolver;

/**
 * Boot's session cookie resolver, with {@code Secure} added when the client used https. The session
 * is saved against the exchange as it arrived, before {@link ForwardedHeadersFilter} could say that
 * a proxy terminated TLS, so that filter's finding travels as an exchange attribute.
 */
final class SecureWhenHttpsSessionIdResolver implements WebSessionIdResolver {

  private final WebSessionIdResolver delegate;

  SecureWhenHttpsSessionIdResolver(WebSessionIdResolver delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<String> resolveSessionIds(ServerWebExchange exchange) {
    return delegate.resolveSessionIds(exchange);
  }

  @Override
  public void setSessionId(ServerWebExchange exchange, String sessionId) {
    delegate.setSessionId(exchange, sessionId);
    secureIfHttps(exchange);
  }

  @Override
  public void expireSession(ServerWebExchange exchange) {
    delegate.expireSession(exchange);
    secureIfHttps(exchange);
  }

  private static void secureIfHttps(ServerWebExchange exchange) {
    if (!Boolean.TRUE.equals(exchange.getAttribute(ForwardedHeadersFilter.HTTPS))) {
      return;
    }
    var cookies = exchange.getResponse().getCookies();
    cookies.forEach(
        (name, values) ->
            values.replaceAll(
                cookie -> cookie.isSecure() ? cookie : cookie.mutate().secure(true).build()));
  }
}
