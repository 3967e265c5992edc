package com.volcstudio.volcengine;

import java.net.URI;

/**
 * Where the visual API is and who we are there: the real service in live mode, the emulator in demo
 * mode.
 */
public record VisualConnection(URI endpoint, VolcCredentials credentials) {

  /** The Host header for the endpoint; a non-default port is part of it and of the signature. */
  String hostHeader() {
    int port = endpoint.getPort();
    boolean defaultPort =
        port == -1
            || (port == 80 && "http".equals(endpoint.getScheme()))
            || (port == 443 && "https".equals(endpoint.getScheme()));
    return defaultPort ? endpoint.getHost() : endpoint.getHost() + ":" + port;
  }
}
