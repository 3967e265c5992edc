package com.volcstudio.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The address a request came from, for the rate limit. Behind the bundled nginx every request
 * arrives from the proxy's address, so a request from a loopback or private address that carries
 * X-Forwarded-For is taken to come from the last address in it: the one our proxy appended (nginx's
 * {@code $proxy_add_x_forwarded_for}). Entries before it were written by the client and are
 * ignored. A client on the internet cannot use this to pose as someone else: its own address is
 * public, so its header is not read at all.
 *
 * @param value the address as text (at most 64 characters)
 * @param loopback whether it is this machine
 */
record ClientAddress(String value, boolean loopback) {

  static ClientAddress of(ServerHttpRequest request) {
    InetSocketAddress remote = request.getRemoteAddress();
    InetAddress address = remote == null ? null : remote.getAddress();
    if (address == null) {
      return new ClientAddress("unknown", false);
    }
    if (address.isLoopbackAddress() || address.isSiteLocalAddress() || isUniqueLocal(address)) {
      List<String> forwarded = request.getHeaders().getOrEmpty("X-Forwarded-For");
      if (!forwarded.isEmpty()) {
        String[] hops = String.join(",", forwarded).split(",");
        String last = hops[hops.length - 1].strip();
        if (!last.isEmpty()) {
          String value = last.length() > 64 ? last.substring(0, 64) : last;
          return new ClientAddress(value, isLoopbackLiteral(value));
        }
      }
    }
    return new ClientAddress(address.getHostAddress(), address.isLoopbackAddress());
  }

  /**
   * IPv6 unique local addresses (fc00::/7), the IPv6 counterpart of 10/8, 172.16/12 and 192.168/16.
   */
  private static boolean isUniqueLocal(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
  }

  private static boolean isLoopbackLiteral(String value) {
    return value.startsWith("127.")
        || value.equals("::1")
        || value.equals("0:0:0:0:0:0:0:1")
        || value.startsWith("::ffff:127.");
  }
}
