package com.volcstudio.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The address a request came from, for the rate limits. Behind a trusted proxy {@link
 * ForwardedHeadersFilter} has already replaced the connection's address with the client's, so this
 * is always the request's remote address; a client that calls the backend directly cannot choose
 * its own.
 *
 * @param value the address as text
 * @param loopback whether it is this machine
 */
public record ClientAddress(String value, boolean loopback) {

  public static ClientAddress of(ServerHttpRequest request) {
    InetSocketAddress remote = request.getRemoteAddress();
    InetAddress address = remote == null ? null : remote.getAddress();
    if (address == null) {
      return new ClientAddress("unknown", false);
    }
    return new ClientAddress(address.getHostAddress(), address.isLoopbackAddress());
  }
}
