package com.volcstudio.volcengine;

import io.netty.handler.timeout.ReadTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * What the visual and Ark clients share about the way to the service: URLs and transport failures.
 */
final class UpstreamTransport {

  private UpstreamTransport() {}

  /**
   * Reactor Netty reports a response timeout as a request exception caused by ReadTimeoutException,
   * and a connection the other side closed before its answer was complete as one caused by
   * PrematureCloseException: the request had gone out (Reactor Netty sends a request again by
   * itself when a pooled connection was closed before it), so the service may have acted on it.
   */
  static VolcApiException failure(WebClientRequestException e) {
    Throwable cause = e.getMostSpecificCause();
    String code =
        cause instanceof ReadTimeoutException
            ? "UPSTREAM_TIMEOUT"
            : cause instanceof PrematureCloseException ? "UPSTREAM_CLOSED" : "UPSTREAM_UNREACHABLE";
    return new VolcApiException(VolcErrorCodes.describe(code, reason(e), 0), e);
  }

  /**
   * What kind of transport failure this was, in our words. An exception's own text is never shown:
   * it names addresses and ports and the library's internals ({@code finishConnect(..) failed:
   * Connection refused: /127.0.0.1:1}), which tells whoever reads it what listens where.
   */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ReadTimeoutException || t instanceof TimeoutException) {
        return "no answer in time";
      }
      if (t instanceof io.netty.channel.ConnectTimeoutException) {
        return "the connection timed out";
      }
      if (t instanceof UnknownHostException) {
        return "the host name could not be resolved";
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to the host";
      }
      if (t instanceof ConnectException) {
        return "the connection was refused";
      }
      if (t instanceof SSLException) {
        return "the TLS handshake failed";
      }
      if (t instanceof PrematureCloseException) {
        return "the connection closed before the answer was complete";
      }
    }
    return "a network error";
  }

  /** An endpoint as configured, without a trailing slash, so paths can be appended. */
  static String base(java.net.URI endpoint) {
    String url = endpoint.toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
