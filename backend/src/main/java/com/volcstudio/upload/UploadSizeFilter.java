package com.volcstudio.upload;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses an upload whose declared {@code Content-Length} is already over the limit, before a byte of
 * the body is read. A body without a length (chunked) is still cut off while being read by
 * {@link UploadController}. Runs before the handlers, so it writes its problem+json answer itself.
 */
class UploadSizeFilter implements WebFilter, Ordered {

  /** Room for the multipart boundaries and part headers around the file itself. */
  static final long MULTIPART_OVERHEAD = 64 * 1024;
  private static final String PATH = "/api/v1/uploads";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final UploadProperties properties;

  UploadSizeFilter(UploadProperties properties) {
    this.properties = properties;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    var request = exchange.getRequest();
    long length = request.getHeaders().getContentLength();
    if (HttpMethod.POST.equals(request.getMethod()) && PATH.equals(request.getPath().pathWithinApplication().value())
        && length > properties.maxBytes() + MULTIPART_OVERHEAD) {
      return tooLarge(exchange.getResponse(), request.getPath().value());
    }
    return chain.filter(exchange);
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 100;
  }

  private Mono<Void> tooLarge(ServerHttpResponse response, String instance) {
    String reason = "is larger than " + properties.maxMb() + " MB (UPLOAD_MAX_MB)";
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", "Upload too large");
    problem.put("status", HttpStatus.PAYLOAD_TOO_LARGE.value());
    problem.put("detail", UploadRejectedException.FIELD + ": " + reason);
    problem.put("instance", instance);
    problem.put("errors", List.of(Map.of("field", UploadRejectedException.FIELD, "reason", reason)));
    byte[] body = JSON.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
    response.setStatusCode(HttpStatus.PAYLOAD_TOO_LARGE);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    response.getHeaders().setContentLength(body.length);
    // The body will not be read: close the connection rather than leave the client's bytes in it.
    response.getHeaders().setConnection("close");
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }
}
