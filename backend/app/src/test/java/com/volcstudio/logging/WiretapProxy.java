package com.volcstudio.logging;

import io.netty.handler.logging.LogLevel;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.transport.logging.AdvancedByteBufFormat;
import reactor.util.function.Tuples;

/**
 * A pass-through HTTP proxy on loopback with Reactor Netty's wiretap on in both directions. Put
 * between the app and the emulator it logs the app's signed requests byte for byte (Authorization,
 * X-Security-Token) under {@code reactor.netty.http.server.HttpServer} (hex dumps) and {@code
 * reactor.netty.http.client.HttpClient} (text), as a developer who turns on a wiretap in the app's
 * client would see them. Requests are forwarded unchanged, Host included, so the emulator verifies
 * the app's signature as it was made.
 */
final class WiretapProxy implements AutoCloseable {

  private final DisposableServer server;

  private WiretapProxy(DisposableServer server) {
    this.server = server;
  }

  static WiretapProxy to(URI target) {
    // The two formats a developer can pick: hex dumps on the server side, plain text on the client
    // side.
    HttpClient client =
        HttpClient.create()
            .wiretap(
                "reactor.netty.http.client.HttpClient",
                LogLevel.DEBUG,
                AdvancedByteBufFormat.TEXTUAL);
    DisposableServer server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .wiretap(true)
            .handle(
                (request, response) ->
                    request
                        .receive()
                        .aggregate()
                        .asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .flatMap(
                            body ->
                                client
                                    .headers(headers -> headers.set(request.requestHeaders()))
                                    .request(request.method())
                                    .uri(target + request.uri())
                                    .send(
                                        (upstreamRequest, out) ->
                                            out.sendByteArray(Mono.just(body)))
                                    .responseSingle(
                                        (upstream, content) ->
                                            content
                                                .asByteArray()
                                                .defaultIfEmpty(new byte[0])
                                                .map(
                                                    bytes ->
                                                        Tuples.of(
                                                            upstream.status(),
                                                            String.valueOf(
                                                                upstream
                                                                    .responseHeaders()
                                                                    .get(HttpHeaders.CONTENT_TYPE)),
                                                            bytes))))
                        .flatMap(
                            reply ->
                                response
                                    .status(reply.getT1())
                                    .header(HttpHeaders.CONTENT_TYPE, reply.getT2())
                                    .sendByteArray(Mono.just(reply.getT3()))
                                    .then()))
            .bindNow();
    return new WiretapProxy(server);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
