package com.volcstudio.security;

import com.volcstudio.audit.AuditLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Behind a trusted reverse proxy ({@code APP_TRUSTED_PROXIES}), the request as the client made it:
 * its address from {@code X-Forwarded-For} (read from the right, skipping the trusted proxies, so
 * an address the client wrote itself is never taken) and https from {@code X-Forwarded-Proto}. From
 * anyone else the forwarding headers are removed, so nothing downstream can be fooled by them.
 *
 * <p>Spring's own {@code server.forward-headers-strategy} believes these headers from any caller,
 * which would let a client that reaches the backend directly choose its address; hence this filter.
 * It runs first, and puts the client's {@link ClientAddress} in the Reactor context for the login
 * throttle.
 */
final class ForwardedHeadersFilter implements WebFilter, Ordered {

  /** Set when the client used https: the session cookie is then marked Secure. */
  static final String HTTPS = ForwardedHeadersFilter.class.getName() + ".https";

  private static final List<String> FORWARDING_HEADERS =
      List.of(
          "X-Forwarded-For",
          "X-Forwarded-Proto",
          "X-Forwarded-Host",
          "X-Forwarded-Port",
          "Forwarded");

  /** The TLS of a hop we did not terminate: there is no certificate or session to show. */
  private static final SslInfo FORWARDED_TLS =
      new SslInfo() {
        @Override
        public @Nullable String getSessionId() {
          return null;
        }

        @Override
        public X509Certificate @Nullable [] getPeerCertificates() {
          return null;
        }
      };

  private final TrustedProxies proxies;

  ForwardedHeadersFilter(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    InetSocketAddress remote = request.getRemoteAddress();
    ServerWebExchange resolved;
    if (remote != null && remote.getAddress() != null && proxies.trusts(remote.getAddress())) {
      resolved = throughProxy(exchange, remote);
    } else if (FORWARDING_HEADERS.stream().anyMatch(request.getHeaders()::containsHeader)) {
      resolved =
          exchange
              .mutate()
              .request(r -> r.headers(headers -> FORWARDING_HEADERS.forEach(headers::remove)))
              .build();
    } else {
      resolved = exchange;
    }
    if (resolved.getRequest().getSslInfo() != null) {
      resolved.getAttributes().put(HTTPS, Boolean.TRUE);
    }
    ClientAddress client = ClientAddress.of(resolved.getRequest());
    return chain
        .filter(resolved)
        .contextWrite(Context.of(ClientAddress.class, client, AuditLog.ADDRESS, client.value()));
  }

  private ServerWebExchange throughProxy(ServerWebExchange exchange, InetSocketAddress proxy) {
    ServerHttpRequest request = exchange.getRequest();
    InetAddress client =
        clientBehind(proxy.getAddress(), request.getHeaders().get("X-Forwarded-For"));
    String proto = request.getHeaders().getFirst("X-Forwarded-Proto");
    boolean https = proto != null && proto.split(",")[0].strip().equalsIgnoreCase("https");
    return exchange
        .mutate()
        .request(
            r -> {
              r.remoteAddress(new InetSocketAddress(client, proxy.getPort()));
              if (https && request.getSslInfo() == null) {
                r.uri(
                    UriComponentsBuilder.fromUri(request.getURI())
                        .scheme("https")
                        .build(true)
                        .toUri());
                r.sslInfo(FORWARDED_TLS);
              }
            })
        .build();
  }

  /**
   * The first address from the right that is not a trusted proxy: each proxy appends the address it
   * was called from, so everything left of that was written by the client and proves nothing.
   */
  private InetAddress clientBehind(InetAddress proxy, @Nullable List<String> forwardedFor) {
    InetAddress client = proxy;
    if (forwardedFor == null) {
      return client;
    }
    String[] hops = String.join(",", forwardedFor).split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      var hop = TrustedProxies.literal(hops[i].strip());
      if (hop.isEmpty()) {
        return client;
      }
      client = hop.get();
      if (!proxies.trusts(client)) {
        return client;
      }
    }
    return client;
  }
}
