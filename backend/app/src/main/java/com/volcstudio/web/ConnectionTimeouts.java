package com.volcstudio.web;

import io.netty.handler.timeout.ReadTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Operators;
import reactor.netty.http.server.HttpServer;

/**
 * Closes connections that hold the server without sending a request: without timeouts an idle
 * keep-alive connection, half a request head, or a head sent a byte every 10 s all stayed open for
 * good, each costing a socket and a buffer.
 *
 * <ul>
 *   <li>Reactor Netty's idle timeout counts from the connection's start (or the end of the previous
 *       response) until a request has been decoded. It watches decoded messages, not bytes, so a
 *       head trickled in byte by byte does not reset it: it is the deadline for the whole head.
 *   <li>The read timeout is the longest pause between two reads of a request body, the request
 *       timeout the longest time for the whole body. Both stop once the body has arrived, which for
 *       a GET is at once.
 * </ul>
 *
 * <p>None of them runs while a response is being written: an event stream, whose request has long
 * been read, stays open however quiet it is (it sends a heartbeat every 15 s anyway, for proxies).
 */
@Component
class ConnectionTimeouts implements NettyServerCustomizer {

  private static final Logger log = LoggerFactory.getLogger(ConnectionTimeouts.class);
  private static final Logger reactorLog = LoggerFactory.getLogger(Operators.class);
  private static final AtomicBoolean quietDropsInstalled = new AtomicBoolean();

  private final ConnectionProperties properties;

  ConnectionTimeouts(ConnectionProperties properties) {
    this.properties = properties;
    quietTimedOutBodies();
  }

  /**
   * Whether {@code error} is a body that arrived too slowly: Reactor Netty's read timeout, or its
   * request timeout (a class it does not export, hence the name).
   */
  static boolean timedOut(Throwable error) {
    return error instanceof ReadTimeoutException
        || error.getClass().getName().equals("reactor.netty.http.server.RequestTimeoutException");
  }

  /**
   * Reactor Netty 1.3 hands a body's timeout error to the body's reader twice: once when it happens
   * (the request fails, {@link ApiExceptionHandler} logs it at DEBUG) and again when the connection
   * is cleaned up, by which time the reader is done, so Reactor reports the second one as
   * "dropped", at ERROR. A slow client is not the server's error; every other dropped error is
   * still logged as Reactor itself logs it. Reactor's hook is global, hence installed once.
   */
  private static void quietTimedOutBodies() {
    if (quietDropsInstalled.compareAndSet(false, true)) {
      Hooks.onErrorDropped(
          error -> {
            if (timedOut(error)) {
              log.debug("a request body timed out: {}", error.toString());
            } else {
              reactorLog.error("Operator called default onErrorDropped", error);
            }
          });
    }
  }

  @Override
  public HttpServer apply(HttpServer server) {
    return server
        .idleTimeout(properties.idleTimeout())
        .readTimeout(properties.idleTimeout())
        .requestTimeout(properties.requestTimeout());
  }
}
