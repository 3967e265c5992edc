package com.volcstudio.emulator;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request as it arrived on the wire: the raw URI (path and still-encoded query), the headers and
 * the body bytes.
 */
record IncomingRequest(
    String method, String rawUri, List<Map.Entry<String, String>> headers, byte[] body) {

  Optional<String> header(String name) {
    return headers.stream()
        .filter(h -> h.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  String rawPath() {
    int q = rawUri.indexOf('?');
    return q < 0 ? rawUri : rawUri.substring(0, q);
  }

  String rawQuery() {
    int q = rawUri.indexOf('?');
    return q < 0 ? "" : rawUri.substring(q + 1);
  }
}
