package com.volcstudio.web;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.util.DisconnectedClientHelper;
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

  /** The header named in the firewall's message: {@code the header: "Name " has a value ...}. */
  private static final Pattern REJECTED_HEADER = Pattern.compile("header: \"([^\"]+)\"");

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
   * Spring Security's firewall checks a header's value when somebody reads it, so a value it
   * refuses (bytes that are not text, such as UTF-8 read as Latin-1) surfaced here, from a
   * controller's {@code @RequestHeader}, as a 500 with a stack trace. It is the client's mistake:
   * 400 naming the header.
   */
  @ExceptionHandler(ServerExchangeRejectedException.class)
  Mono<ResponseEntity<Object>> rejected(
      ServerExchangeRejectedException ex, ServerWebExchange exchange) {
    Matcher header = REJECTED_HEADER.matcher(String.valueOf(ex.getMessage()));
    FieldViolation violation =
        header.find()
            ? new FieldViolation(
                header.group(1).strip(), "contains characters this server does not accept")
            : new FieldViolation("request", "contains characters this server does not accept");
    return badRequest(List.of(violation), exchange);
  }

  /**
   * Anything unforeseen is still a problem+json answer, without internals in it; the log has the
   * details.
   */
  @ExceptionHandler(Exception.class)
  Mono<ResponseEntity<Object>> unexpected(Exception ex, ServerWebExchange exchange) {
    if (DisconnectedClientHelper.isClientDisconnectedException(ex)
        || ConnectionTimeouts.timedOut(ex)) {
      // A client that went away while sending its body (a closed tab, a dropped network), or sent
      // it too slowly (APP_IDLE_TIMEOUT, APP_REQUEST_TIMEOUT; Reactor Netty has answered 408 and
      // closed the connection): nobody is left to answer, and nothing is wrong with the server.
      log.debug(
          "client gone or too slow during {} {}: {}",
          exchange.getRequest().getMethod(),
          exchange.getRequest().getPath(),
          ex.toString());
      return Mono.empty();
    }
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
