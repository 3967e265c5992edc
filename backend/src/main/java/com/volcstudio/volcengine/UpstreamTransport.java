package com.volcstudio.volcengine;

import io.netty.handler.timeout.ReadTimeoutException;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * What the visual and Ark clients share about the way to the service: URLs and transport failures.
 */
final class UpstreamTransport {

  private UpstreamTransport() {}

  /**
   * Reactor Netty reports a response timeout as a request exception caused by ReadTimeoutException.
   */
  static VolcApiException failure(WebClientRequestException e) {
    String code =
        e.getMostSpecificCause() instanceof ReadTimeoutException
            ? "UPSTREAM_TIMEOUT"
            : "UPSTREAM_UNREACHABLE";
    return new VolcApiException(
        VolcErrorCodes.describe(code, String.valueOf(e.getMostSpecificCause().getMessage()), 0), e);
  }

  /** An endpoint as configured, without a trailing slash, so paths can be appended. */
  static String base(java.net.URI endpoint) {
    String url = endpoint.toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
