package com.volcstudio.security;

import com.volcstudio.account.Caller;
import java.util.List;
import java.util.Optional;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebSession;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every event stream ({@code /api/v1/events}, {@code /api/v1/task/{id}/events}) goes through here.
 * It takes one of its client's EVENTS_MAX_STREAMS_PER_CLIENT places (a client is the logged-in
 * user, else its address, as for the submit rate limit), or is refused with 429 problem+json and
 * Retry-After; before the cap one client could hold 300 streams and more. A stream opened with a
 * login session ends, cleanly (the response completes), when that session is logged out or expires;
 * a stream opened with Basic has no session and is not affected.
 *
 * <p>Runs after the security chain (order 10 &gt; -100): the user is known, and anonymous requests
 * with login on have already had their 401 without taking a place.
 */
@Component
class EventStreamFilter implements WebFilter, Ordered {

  private static final List<PathPattern> STREAMS =
      List.of("/api/v1/events", "/api/v1/task/{task_id}/events").stream()
          .map(PathPatternParser.defaultInstance::parse)
          .toList();

  /**
   * What a refused client is told to wait. A place frees up only when another stream ends, which
   * nothing predicts; this keeps a retrying client from hammering.
   */
  static final long RETRY_AFTER_SECONDS = 30;

  private final StudioSecurityProperties security;
  private final EventStreamProperties properties;
  private final EventStreams streams;
  private final ProblemWriter problems;

  EventStreamFilter(
      StudioSecurityProperties security,
      EventStreamProperties properties,
      EventStreams streams,
      ProblemWriter problems) {
    this.security = security;
    this.properties = properties;
    this.streams = streams;
    this.problems = problems;
  }

  @Override
  public int getOrder() {
    return 10;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (!isEventStream(exchange)) {
      return chain.filter(exchange);
    }
    return Mono.zip(RequestClient.of(exchange), loginSession(exchange), account())
        .flatMap(
            found -> {
              EventStreams.Stream stream =
                  streams.admit(
                      found.getT1().key(),
                      properties.maxStreamsPerClient(),
                      found.getT2().orElse(null),
                      found.getT3().orElse(null));
              if (stream == null) {
                return tooMany(exchange);
              }
              ServerWebExchange ending =
                  exchange
                      .mutate()
                      .response(new EndingResponse(exchange.getResponse(), stream.ended()))
                      .build();
              return chain.filter(ending).doFinally(signal -> streams.release(stream));
            });
  }

  /** The account the request is authenticated as, by whichever credentials. */
  private static Mono<Optional<String>> account() {
    return Caller.current()
        .map(caller -> Optional.of(caller.userId()))
        .defaultIfEmpty(Optional.empty());
  }

  private static boolean isEventStream(ServerWebExchange exchange) {
    HttpMethod method = exchange.getRequest().getMethod();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      return false;
    }
    PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
    return STREAMS.stream().anyMatch(pattern -> pattern.matches(path));
  }

  /**
   * The session this request is logged in with, if any: one that holds a security context. (With
   * Basic, or with login off, there is none.)
   */
  private Mono<Optional<WebSession>> loginSession(ServerWebExchange exchange) {
    if (!security.authEnabled()) {
      return Mono.just(Optional.empty());
    }
    return exchange
        .getSession()
        .filter(
            session ->
                session.getAttribute(
                        WebSessionServerSecurityContextRepository
                            .DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME)
                    != null)
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty());
  }

  private Mono<Void> tooMany(ServerWebExchange exchange) {
    exchange
        .getResponse()
        .getHeaders()
        .set(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS));
    return problems.write(
        exchange,
        HttpStatus.TOO_MANY_REQUESTS,
        "Too many open event streams: at most "
            + properties.maxStreamsPerClient()
            + " per client (EVENTS_MAX_STREAMS_PER_CLIENT). Close one, such as another tab of the"
            + " studio, and try again.");
  }

  /**
   * Cuts the body off when the stream must end. The response then completes as if the stream had
   * run out (the last chunk is sent), which a client sees as the end of the stream, not an error;
   * the heartbeats and the event subscription behind it are cancelled.
   */
  private static final class EndingResponse extends ServerHttpResponseDecorator {

    private final Mono<Void> end;

    EndingResponse(ServerHttpResponse delegate, Mono<Void> end) {
      super(delegate);
      this.end = end;
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
      return super.writeWith(Flux.from(body).takeUntilOther(end));
    }

    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
      return super.writeAndFlushWith(Flux.from(body).takeUntilOther(end));
    }
  }
}
