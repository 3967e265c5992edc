package com.volcstudio.security;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Two checks that hold with login on and off, before anything else is done with a request.
 *
 * <ul>
 *   <li>The {@code Host} must be one this studio answers to ({@code APP_ALLOWED_HOSTS}). A
 *       DNS-rebinding page reaches the studio under the attacker's own name; refusing that name is
 *       what keeps it from reading the API (and the keys in Settings) from a victim's browser.
 *       Health probes are exempt: a container platform calls them by any address.
 *   <li>A request that changes something must not come from another site's page: {@code
 *       Sec-Fetch-Site: cross-site/same-site}, or an {@code Origin} that is neither this studio nor
 *       one of {@code APP_CORS_ORIGINS}, is refused. A form post needs no CORS preflight, so
 *       without this any page could pause the queue or spend the user's quota.
 * </ul>
 */
final class RequestOriginFilter implements WebFilter, Ordered {

  private static final Logger log = LoggerFactory.getLogger(RequestOriginFilter.class);

  private final List<String> allowedHosts;
  private final List<String> corsOrigins;
  private final ProblemWriter problems;

  RequestOriginFilter(StudioSecurityProperties properties, ProblemWriter problems) {
    this.allowedHosts = properties.allowedHosts();
    this.corsOrigins =
        properties.corsOrigins().stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    this.problems = problems;
  }

  @Override
  public int getOrder() {
    // Right after the forwarding headers are resolved, before security and every other filter.
    return Ordered.HIGHEST_PRECEDENCE + 1;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    String path = request.getPath().pathWithinApplication().value();
    String host = hostName(request);
    if (!path.startsWith("/actuator/health") && !hostAllowed(host)) {
      log.warn("refused a request for host '{}' (not in APP_ALLOWED_HOSTS)", Printable.of(host));
      return problems.write(
          exchange,
          HttpStatus.MISDIRECTED_REQUEST,
          "This studio does not answer to the host name '"
              + Printable.of(host)
              + "'. To reach it by this name, add it to APP_ALLOWED_HOSTS.");
    }
    if (changesState(request.getMethod()) && crossSite(request)) {
      return problems.write(
          exchange,
          HttpStatus.FORBIDDEN,
          "Cross-site request refused: a page of another site may not change anything here."
              + " To allow a site, add its origin to APP_CORS_ORIGINS.");
    }
    return chain.filter(exchange);
  }

  boolean hostAllowed(String host) {
    for (String allowed : allowedHosts) {
      if (allowed.equals("*")
          || allowed.equals(host)
          || (allowed.startsWith(".")
              && (host.endsWith(allowed) || host.equals(allowed.substring(1))))) {
        return true;
      }
    }
    return false;
  }

  private boolean crossSite(ServerHttpRequest request) {
    HttpHeaders headers = request.getHeaders();
    String origin = headers.getOrigin();
    if (origin != null && corsOrigins.contains(origin.toLowerCase(Locale.ROOT))) {
      return false;
    }
    String site = headers.getFirst("Sec-Fetch-Site");
    if (site != null
        && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
      return true;
    }
    return origin != null && !sameOrigin(origin, headers.getFirst(HttpHeaders.HOST));
  }

  /** The Origin names this studio's own address: the same host and port as the Host header. */
  private static boolean sameOrigin(String origin, @Nullable String hostHeader) {
    if (hostHeader == null || origin.equals("null")) {
      return false;
    }
    try {
      URI uri = URI.create(origin);
      if (uri.getHost() == null) {
        return false;
      }
      String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
      String host = hostHeader.strip().toLowerCase(Locale.ROOT);
      return authority.equals(host)
          || authority.equals(withDefaultPort(host, uri.getScheme()))
          || host.equals(withDefaultPort(authority, uri.getScheme()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String withDefaultPort(String authority, @Nullable String scheme) {
    if (authority.matches(".*:\\d+$")) {
      return authority;
    }
    return authority + ("https".equalsIgnoreCase(scheme) ? ":443" : ":80");
  }

  /** Anything but GET, HEAD, OPTIONS and TRACE: what CSRF and the cross-site check guard. */
  static boolean changesState(@Nullable HttpMethod method) {
    return method != HttpMethod.GET
        && method != HttpMethod.HEAD
        && method != HttpMethod.OPTIONS
        && method != HttpMethod.TRACE;
  }

  /** The Host header's name without port or IPv6 brackets, lower-cased; the URI's when absent. */
  private static String hostName(ServerHttpRequest request) {
    var host = request.getHeaders().getHost();
    String name = host != null ? host.getHostString() : request.getURI().getHost();
    if (name == null) {
      return "";
    }
    name = name.toLowerCase(Locale.ROOT);
    return name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
  }
}
