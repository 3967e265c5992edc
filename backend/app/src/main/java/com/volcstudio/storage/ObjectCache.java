package com.volcstudio.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects of the bucket kept as files of this machine (under {@code DATA_DIR/cache/objects}, at
 * most {@code S3_CACHE_MB} together, the least recently served going first), so an image is served
 * from a file: without holding it in the heap, without copying (sendfile), by Range, and, once
 * fetched, without asking the bucket again. Objects never change under a key, so a file never goes
 * stale; one deleted through the studio is dropped at once. Caffeine keeps the account and evicts.
 */
final class ObjectCache {

  private static final Logger log = LoggerFactory.getLogger(ObjectCache.class);

  /** Fetches {@code key} into {@code file}, which does not exist yet. */
  interface Fetch {
    void into(Path file) throws IOException;
  }

  private final Path dir;
  private final Cache<String, Path> files;

  ObjectCache(Path dir, long maxBytes) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    // What an earlier run left: no entry of this cache names it any more.
    try (Stream<Path> left = Files.list(dir)) {
      left.forEach(ObjectCache::deleteQuietly);
    }
    this.files =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((String key, Path file) -> weight(file))
            .<String, Path>removalListener((key, file, cause) -> deleteQuietly(file))
            .build();
  }

  /** The object's file, fetched first unless it is here already. */
  Path file(String key, Fetch fetch) throws IOException {
    Path cached = files.getIfPresent(key);
    if (cached != null && Files.isRegularFile(cached)) {
      return cached;
    }
    if (cached != null) {
      files.invalidate(key);
    }
    try {
      // One fetch per key however many ask at once; the others wait for it.
      return files.get(key, k -> fetched(k, fetch));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The object was deleted: its file goes too. */
  void forget(String key) {
    files.invalidate(key);
  }

  private Path fetched(String key, Fetch fetch) {
    Path file = dir.resolve(UUID.randomUUID() + "-" + key.replace('/', '_'));
    try {
      fetch.into(file);
      return file;
    } catch (IOException e) {
      deleteQuietly(file);
      throw new UncheckedIOException(e);
    }
  }

  private static int weight(Path file) {
    try {
      return (int) Math.min(Integer.MAX_VALUE, Files.size(file));
    } catch (IOException e) {
      return 0;
    }
  }

  private static void deleteQuietly(@Nullable Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("could not delete the cached object {}: {}", file, e.toString());
    }
  }
}
