package com.volcstudio.frontend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The page as the static resource chain serves it. {@code frontend/build.mjs} writes a {@code .br}
 * and a {@code .gz} beside index.html and each hashed script and stylesheet, and the chain ({@code
 * spring.web.resources.chain.compressed} in application.yml) sends the one the client accepts, with
 * {@code Content-Encoding} and {@code Vary: Accept-Encoding}. This filter adds what the chain does
 * not do by itself:
 *
 * <ul>
 *   <li>{@code /} is answered by the resource handler as {@code /index.html}. Boot's welcome page
 *       would send the page, the biggest file of a first load after the script, uncompressed.
 *   <li>The page is {@code Cache-Control: no-cache}, as nginx.conf sends it: it names the current
 *       build's hashed assets, which the next build deletes. The resource handler adds a {@code
 *       Last-Modified}, from which a browser would otherwise keep the page for a while on its own.
 *   <li>The uncompressed answer of a file the build compresses also says {@code Vary:
 *       Accept-Encoding} (the chain marks only the compressed ones), so a cache that kept it hands
 *       it only to clients that asked the same way.
 *   <li>{@code Accept-Encoding} is read by its q-values, and the smaller brotli file wins over
 *       gzip. The header's order means nothing (RFC 9110, 12.5.3), yet Spring's resolver takes the
 *       first coding listed that has a file, and browsers list gzip before br; it also ignores
 *       {@code q=0}, which refuses a coding.
 * </ul>
 *
 * API and actuator paths are left alone.
 */
final class FrontendPageFilter implements WebFilter, Ordered {

  static final String PAGE = "/index.html";

  /** What build.mjs precompresses: the page, the scripts and the stylesheets. */
  private static final List<String> PRECOMPRESSED = List.of(".html", ".js", ".css");

  /** The codings build.mjs writes, smallest first: the order the resolver should try them in. */
  private static final List<String> CODINGS = List.of("br", "gzip");

  @Override
  public int getOrder() {
    // Last, right before the handlers: logging and security still see the path that was asked for.
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    HttpMethod method = request.getMethod();
    String path = request.getPath().pathWithinApplication().value();
    if (!(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))
        || path.startsWith("/api/")
        || path.startsWith("/actuator/")) {
      return chain.filter(exchange);
    }
    boolean page = path.equals("/") && wantsHtml(request);
    if (page) {
      path = PAGE;
    }
    List<String> acceptEncoding = request.getHeaders().getValuesAsList(HttpHeaders.ACCEPT_ENCODING);
    String preferred =
        acceptEncoding.isEmpty() ? null : preferredCodings(String.join(",", acceptEncoding));
    ServerWebExchange served = exchange;
    if (page || preferred != null) {
      served =
          exchange
              .mutate()
              .request(
                  r -> {
                    if (page) {
                      r.path(PAGE);
                    }
                    if (preferred != null) {
                      r.headers(h -> h.set(HttpHeaders.ACCEPT_ENCODING, preferred));
                    }
                  })
              .build();
    }
    HttpHeaders headers = exchange.getResponse().getHeaders();
    if (path.equals(PAGE)) {
      headers.setCacheControl("no-cache");
    }
    if (PRECOMPRESSED.stream().anyMatch(path::endsWith)) {
      exchange
          .getResponse()
          .beforeCommit(
              () -> {
                if (!headers.getVary().contains(HttpHeaders.ACCEPT_ENCODING)) {
                  headers.add(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
                }
                return Mono.empty();
              });
    }
    return chain.filter(served);
  }

  /**
   * The codings of {@link #CODINGS} that the header accepts ({@code q} above 0, by name or by
   * {@code *}), in that order; "identity" when it accepts none of them.
   */
  static String preferredCodings(String acceptEncoding) {
    Map<String, Boolean> accepted = new HashMap<>();
    for (String part : acceptEncoding.split(",")) {
      String[] fields = part.split(";");
      String coding = fields[0].trim().toLowerCase(Locale.ROOT);
      boolean refused = false;
      for (int i = 1; i < fields.length; i++) {
        String parameter = fields[i].trim().toLowerCase(Locale.ROOT);
        if (parameter.startsWith("q=")) {
          refused = qualityIsZero(parameter.substring(2).trim());
        }
      }
      accepted.put(coding, !refused);
    }
    List<String> preferred = new ArrayList<>();
    for (String coding : CODINGS) {
      if (accepted.getOrDefault(coding, accepted.getOrDefault("*", false))) {
        preferred.add(coding);
      }
    }
    return preferred.isEmpty() ? "identity" : String.join(", ", preferred);
  }

  private static boolean qualityIsZero(String value) {
    try {
      return Double.parseDouble(value) <= 0;
    } catch (NumberFormatException e) {
      // A q-value that is not a number says nothing usable; the coding is taken as accepted.
      return false;
    }
  }

  /** As Boot's welcome page: only a request that takes HTML (or anything) gets the page at /. */
  private static boolean wantsHtml(ServerHttpRequest request) {
    List<MediaType> accept = request.getHeaders().getAccept();
    return accept.isEmpty() || accept.stream().anyMatch(MediaType.TEXT_HTML::isCompatibleWith);
  }
}
