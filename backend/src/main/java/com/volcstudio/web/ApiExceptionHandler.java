package com.volcstudio.web;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns request errors into {@code application/problem+json} with an {@code errors} list, so a
 * client always learns which field was wrong and why — for bean validation, unreadable JSON,
 * unknown fields and wrong types alike.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @Override
  protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(
      WebExchangeBindException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    List<FieldViolation> violations =
        ex.getFieldErrors().stream()
            .map(e -> new FieldViolation(e.getField(), String.valueOf(e.getDefaultMessage())))
            .toList();
    return badRequest(violations, exchange);
  }

  @Override
  protected Mono<ResponseEntity<Object>> handleServerWebInputException(
      ServerWebInputException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    return badRequest(List.of(describe(ex)), exchange);
  }

  /**
   * A JSON body over spring.codec.max-in-memory-size arrives as ContentTooLargeException: 413
   * naming the body.
   */
  @Override
  protected Mono<ResponseEntity<Object>> handleResponseStatusException(
      ResponseStatusException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    return ex instanceof ContentTooLargeException
        ? tooLarge(exchange)
        : super.handleResponseStatusException(ex, headers, status, exchange);
  }

  /**
   * A buffer limit hit outside a decoder (e.g. a multipart part over its size) is the client's
   * doing too: 413, not 500.
   */
  @ExceptionHandler(DataBufferLimitException.class)
  Mono<ResponseEntity<Object>> tooLarge(DataBufferLimitException ex, ServerWebExchange exchange) {
    return tooLarge(exchange);
  }

  /**
   * A body that does not parse as what its Content-Type says, read outside argument resolution
   * (e.g. a "multipart/form-data" body without its boundary): the client's mistake, 400 (the
   * hostile-input test found it answered 500).
   */
  @ExceptionHandler(DecodingException.class)
  Mono<ResponseEntity<Object>> undecodable(DecodingException ex, ServerWebExchange exchange) {
    String reason = "could not be read as " + exchange.getRequest().getHeaders().getContentType();
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "body: " + reason);
    problem.setTitle("Malformed request body");
    problem.setProperty("errors", List.of(new FieldViolation("body", reason)));
    problem.setInstance(exchange.getRequest().getURI());
    return Mono.just(ResponseEntity.badRequest().body(problem));
  }

  private static Mono<ResponseEntity<Object>> tooLarge(ServerWebExchange exchange) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.PAYLOAD_TOO_LARGE, "body: is larger than this endpoint accepts");
    problem.setTitle("Request body too large");
    problem.setProperty(
        "errors", List.of(new FieldViolation("body", "is larger than this endpoint accepts")));
    problem.setInstance(exchange.getRequest().getURI());
    return Mono.just(ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(problem));
  }

  /**
   * Anything unforeseen is still a problem+json answer, without internals in it; the log has the
   * details.
   */
  @ExceptionHandler(Exception.class)
  Mono<ResponseEntity<Object>> unexpected(Exception ex, ServerWebExchange exchange) {
    log.error(
        "unexpected error on {} {}",
        exchange.getRequest().getMethod(),
        exchange.getRequest().getPath(),
        ex);
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.INTERNAL_SERVER_ERROR,
            "Something went wrong on the server; the log has the details.");
    problem.setInstance(exchange.getRequest().getURI());
    return Mono.just(ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem));
  }

  private Mono<ResponseEntity<Object>> badRequest(
      List<FieldViolation> violations, ServerWebExchange exchange) {
    ProblemDetail problem = InvalidRequestException.problem(violations);
    problem.setInstance(exchange.getRequest().getURI());
    return Mono.just(ResponseEntity.status(HttpStatus.BAD_REQUEST).body(problem));
  }

  /** Digs the Jackson error out of the decoding exception to name the JSON field it is about. */
  private static FieldViolation describe(ServerWebInputException ex) {
    Throwable cause = ex.getMostSpecificCause();
    if (cause instanceof UnrecognizedPropertyException unknown) {
      return new FieldViolation(
          unknown.getPropertyName(), "unknown field; this API does not accept it");
    }
    if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
      String field =
          databind.getPath().stream()
              .map(
                  ref ->
                      ref.getPropertyName() != null
                          ? ref.getPropertyName()
                          : "[" + ref.getIndex() + "]")
              .reduce((a, b) -> a + "." + b)
              .orElse("body");
      return new FieldViolation(field, "has the wrong type or format");
    }
    if (ex.getReason() != null && ex.getReason().contains("No request body")) {
      return new FieldViolation("body", "a JSON body is required");
    }
    return new FieldViolation("body", "is not valid JSON");
  }
}
