package com.volcstudio.security;

import org.springframework.http.HttpHeaders;
import org.springframework.security.web.server.header.ServerHttpHeadersWriter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The Content-Security-Policy nginx.conf sends, for when the backend serves the UI itself ({@code
 * make run} on :8080). Keep both copies the same: nginx hides the backend's header and sends its
 * own. Swagger UI gets the same relaxed policy as nginx's {@code /swagger-ui/} location, since its
 * bundle uses inline styles and scripts.
 */
final class ContentSecurityPolicyWriter implements ServerHttpHeadersWriter {

  static final String STRICT =
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
          + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
          + "frame-ancestors 'none'";

  static final String SWAGGER_UI =
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
          + "script-src 'self' 'unsafe-inline'; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
          + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

  @Override
  public Mono<Void> writeHttpHeaders(ServerWebExchange exchange) {
    HttpHeaders headers = exchange.getResponse().getHeaders();
    if (!headers.containsHeader("Content-Security-Policy")) {
      String path = exchange.getRequest().getPath().pathWithinApplication().value();
      boolean swaggerUi =
          path.startsWith("/api/swagger-ui")
              || path.startsWith("/api/docs")
              || path.startsWith("/webjars/");
      headers.set("Content-Security-Policy", swaggerUi ? SWAGGER_UI : STRICT);
    }
    return Mono.empty();
  }
}
