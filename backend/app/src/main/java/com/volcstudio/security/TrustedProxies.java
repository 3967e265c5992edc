package com.volcstudio.security;

import com.volcstudio.config.InvalidSettingException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose forwarding headers are believed ({@code APP_TRUSTED_PROXIES}):
 * addresses or CIDR ranges. Only literals are accepted, so neither the setting nor a header ever
 * causes a DNS lookup. (Spring Security's {@code IpAddressMatcher} does the same, but is a servlet
 * request matcher and needs the servlet API on the class path.)
 */
final class TrustedProxies {

  private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

  /** A network and how many leading bits of an address must equal it. */
  private record Range(byte[] network, int bits) {

    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < bits; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Range> ranges;

  TrustedProxies(List<String> entries) {
    this.ranges = entries.stream().map(TrustedProxies::range).toList();
  }

  boolean trusts(InetAddress address) {
    return ranges.stream().anyMatch(range -> range.contains(address));
  }

  private static Range range(String entry) {
    int slash = entry.indexOf('/');
    Optional<InetAddress> network = literal(slash < 0 ? entry : entry.substring(0, slash));
    if (network.isPresent()) {
      int width = network.get().getAddress().length * 8;
      try {
        int bits = slash < 0 ? width : Integer.parseInt(entry.substring(slash + 1));
        if (bits >= 0 && bits <= width) {
          return new Range(network.get().getAddress(), bits);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new InvalidSettingException(
        "APP_TRUSTED_PROXIES", "entry '" + entry + "' is not an IP address or CIDR range");
  }

  /** An IP address written as text; empty for anything else (a name, a port, a zone id). */
  static Optional<InetAddress> literal(String text) {
    String value =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    if (value.isEmpty()
        || value.length() > 45
        || !IP_LITERAL.matcher(value).matches()
        || !(value.contains(".") || value.contains(":"))) {
      return Optional.empty();
    }
    try {
      // A literal: getByName parses it without asking DNS.
      return Optional.of(InetAddress.getByName(value));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
