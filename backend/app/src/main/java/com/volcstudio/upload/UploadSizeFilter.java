package com.volcstudio.upload;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferUtils;
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
 * Refuses an upload whose declared {@code Content-Length} is already over the limit, before a byte
 * of the body is parsed or kept. A body without a length (chunked) is still cut off while being
 * read by {@link UploadController}. Runs before the handlers, so it writes its problem+json answer
 * itself.
 */
class UploadSizeFilter implements WebFilter, Ordered {

  /** Room for the multipart boundaries and part headers around the file itself. */
  static final long MULTIPART_OVERHEAD = 64 * 1024;

  private static final String PATH = "/api/v1/uploads";

  /**
   * How much of an oversized body is read and dropped, as a multiple of the limit, before giving up
   * on it.
   */
  private static final long DRAIN_FACTOR = 8;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final UploadProperties properties;

  UploadSizeFilter(UploadProperties properties) {
    this.properties = properties;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    var request = exchange.getRequest();
    long length = request.getHeaders().getContentLength();
    if (HttpMethod.POST.equals(request.getMethod())
        && PATH.equals(request.getPath().pathWithinApplication().value())
        && length > properties.maxBytes() + MULTIPART_OVERHEAD) {
      // Read and drop what the client is sending (never buffered or parsed), then answer: a client
      // still
      // writing its body when the connection closes would see a reset instead of this 413. A body
      // far
      // beyond the limit is not read to its end; the connection is closed instead.
      long cap = DRAIN_FACTOR * properties.maxBytes();
      AtomicLong drained = new AtomicLong();
      return request
          .getBody()
          .doOnNext(
              buffer -> {
                drained.addAndGet(buffer.readableByteCount());
                DataBufferUtils.release(buffer);
              })
          .takeWhile(released -> drained.get() <= cap)
          .then(
              Mono.defer(
                  () ->
                      tooLarge(
                          exchange.getResponse(), request.getPath().value(), drained.get() > cap)));
    }
    return chain.filter(exchange);
  }

  /**
   * After the security chain (-100): with login on, an anonymous upload gets its 401 at once,
   * unread. Run first, this filter read and dropped up to 8 × UPLOAD_MAX_MB of a stranger's body
   * before answering 413. Still before the submit rate limit (0), which an oversized body does not
   * use up.
   */
  @Override
  public int getOrder() {
    return -50;
  }

  private Mono<Void> tooLarge(
      ServerHttpResponse response, String instance, boolean bodyLeftUnread) {
    String reason = "is larger than " + properties.maxMb() + " MB (UPLOAD_MAX_MB)";
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", "Upload too large");
    problem.put("status", HttpStatus.PAYLOAD_TOO_LARGE.value());
    problem.put("detail", UploadRejectedException.FIELD + ": " + reason);
    problem.put("instance", instance);
    problem.put(
        "errors", List.of(Map.of("field", UploadRejectedException.FIELD, "reason", reason)));
    byte[] body = JSON.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
    response.setStatusCode(HttpStatus.PAYLOAD_TOO_LARGE);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    response.getHeaders().setContentLength(body.length);
    if (bodyLeftUnread) {
      response.getHeaders().setConnection("close");
    }
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }
}
