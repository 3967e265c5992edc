package com.volcstudio.emulator;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Images handed out as {@code return_url} links, served at {@code GET
 * /_emulator/results/{id}.{ext}} until their lifetime ends (§3.2: 1 h / 24 h; Ark 24 h, §6.3).
 * After that the link answers 403, as an expired signed object URL does; an id never issued answers
 * 404.
 */
final class ResultStore {

  static final String PATH = "/_emulator/results/";

  private record Stored(byte[] bytes, ImageFormat format, Instant expiresAt) {}

  private final Map<String, Stored> images = new ConcurrentHashMap<>();
  private final Map<String, Instant> expired = new ConcurrentHashMap<>();
  private final Clock clock;

  ResultStore(Clock clock) {
    this.clock = clock;
  }

  URI put(URI base, byte[] bytes, ImageFormat format, Duration lifetime) {
    forgetExpired();
    String id = UUID.randomUUID().toString().replace("-", "");
    images.put(id, new Stored(bytes, format, clock.instant().plus(lifetime)));
    return base.resolve(PATH + id + "." + format.extension());
  }

  Reply get(String path) {
    String name = path.substring(PATH.length());
    int dot = name.indexOf('.');
    String id = dot < 0 ? name : name.substring(0, dot);
    Stored stored = images.get(id);
    if (stored == null || !clock.instant().isBefore(stored.expiresAt())) {
      boolean wasIssued = stored != null || expired.containsKey(id);
      return wasIssued
          ? Reply.bytes(
              403,
              "text/plain; charset=utf-8",
              "Request has expired".getBytes(java.nio.charset.StandardCharsets.UTF_8))
          : Reply.empty(404);
    }
    return Reply.bytes(200, stored.format().mediaType(), stored.bytes());
  }

  /**
   * Drops expired bytes but remembers the ids, so their links keep answering 403 rather than 404.
   */
  private void forgetExpired() {
    Instant now = clock.instant();
    images
        .entrySet()
        .removeIf(
            e -> {
              boolean gone = !now.isBefore(e.getValue().expiresAt());
              if (gone) {
                expired.put(e.getKey(), e.getValue().expiresAt());
              }
              return gone;
            });
  }
}
