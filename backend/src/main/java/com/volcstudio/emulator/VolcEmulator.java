package com.volcstudio.emulator;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The emulated visual API gateway on its own Reactor Netty server. Start it with {@link #start}; it
 * answers {@code POST /?Action=…&Version=…} like {@code visual.volcengineapi.com}.
 */
public final class VolcEmulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(VolcEmulator.class);

  private final DisposableServer server;
  private final EmulatorSettings settings;

  private VolcEmulator(DisposableServer server, EmulatorSettings settings) {
    this.server = server;
    this.settings = settings;
  }

  public static VolcEmulator start(EmulatorSettings settings) {
    return start(settings, Clock.systemUTC());
  }

  static VolcEmulator start(EmulatorSettings settings, Clock clock) {
    GatewaySignatureVerifier verifier = new GatewaySignatureVerifier(settings, clock);
    VisualService service = new VisualService(settings, new ImageRenderer());
    DisposableServer server = HttpServer.create()
        .host(settings.host())
        .port(settings.port())
        .handle((request, response) -> handle(request, response, verifier, service))
        .bindNow();
    log.info("VolcEngine emulator listening on http://{}:{} (access key {})", settings.host(), server.port(),
        settings.accessKey());
    return new VolcEmulator(server, settings);
  }

  public int port() {
    return server.port();
  }

  /** The base URL to configure as {@code VOLC_ENDPOINT}. */
  public URI endpoint() {
    return URI.create("http://" + settings.host() + ":" + port());
  }

  public EmulatorSettings settings() {
    return settings.withPort(port());
  }

  /** Blocks until the server is closed, for the standalone emulator. */
  public void awaitShutdown() {
    server.onDispose().block();
  }

  @Override
  public void close() {
    server.disposeNow();
  }

  private static Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response,
      GatewaySignatureVerifier verifier, VisualService service) {
    return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
        .map(body -> new IncomingRequest(request.method().name(), request.uri(), headersOf(request), body))
        .flatMap(incoming -> answer(incoming, verifier, service))
        .flatMap(reply -> response.status(HttpResponseStatus.valueOf(reply.status()))
            .header(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
            .sendByteArray(Mono.just(reply.body()))
            .then());
  }

  private static Mono<Reply> answer(IncomingRequest incoming, GatewaySignatureVerifier verifier, VisualService service) {
    Map<String, String> query = VisualService.plainQuery(incoming.rawQuery());
    String action = query.getOrDefault("Action", "");
    String version = query.getOrDefault("Version", "");
    Optional<GatewayError> rejected = verifier.verify(incoming);
    if (rejected.isPresent()) {
      log.debug("gateway rejected {} {}: {}", action, version, rejected.get().code());
      return Mono.just(Envelopes.gateway(rejected.get(), action, version));
    }
    return service.dispatch(action, version, incoming.body());
  }

  private static List<Map.Entry<String, String>> headersOf(HttpServerRequest request) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    request.requestHeaders().forEach(headers::add);
    return headers;
  }

  /** An HTTP answer: status and JSON bytes. */
  record Reply(int status, byte[] body) {
    static Reply json(int status, String json) {
      return new Reply(status, json.getBytes(StandardCharsets.UTF_8));
    }
  }
}
