package com.volcstudio.storage;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects of the bucket kept as files of this machine (under {@code DATA_DIR/cache/objects}, at
 * most {@code S3_CACHE_MB} together; Caffeine's eviction, by recency and frequency, picks what
 * goes), so an image is served from a file: without holding it in the heap, without copying
 * (sendfile), by Range, and, once fetched, without asking the bucket again. Objects never change
 * under a key, so a file never goes stale; one deleted through the studio is dropped at once.
 * Caffeine keeps the account and evicts.
 */
final class ObjectCache {

  private static final Logger log = LoggerFactory.getLogger(ObjectCache.class);

  /** Fetches {@code key} into {@code file}, which does not exist yet. */
  interface Fetch {
    void into(Path file) throws IOException;
  }

  private final Path dir;

  /**
   * Asynchronous for its entries, not its loads: a fetch runs on its caller's thread with no lock
   * of the map held (a synchronous cache computes under the lock of the key's bin, which a download
   * of megabytes would hold against other keys' fetches); callers of the same key wait for it.
   */
  private final AsyncCache<String, Path> files;

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
            .buildAsync();
  }

  /** The object's file, fetched first unless it is here already. */
  Path file(String key, Fetch fetch) throws IOException {
    while (true) {
      CompletableFuture<Path> mine = new CompletableFuture<>();
      CompletableFuture<Path> cached = files.asMap().putIfAbsent(key, mine);
      if (cached == null) {
        try {
          Path file = fetched(key, fetch);
          mine.complete(file);
          return file;
        } catch (IOException | RuntimeException e) {
          // A failed entry leaves the cache; whoever waited on it fetches again.
          mine.completeExceptionally(e);
          throw e;
        }
      }
      Path file = waitFor(cached);
      if (file != null && Files.isRegularFile(file)) {
        return file;
      }
      // Failed, or its file was removed behind the cache's back: drop it and fetch again.
      files.asMap().remove(key, cached);
    }
  }

  private static @Nullable Path waitFor(CompletableFuture<Path> pending) {
    try {
      return pending.join();
    } catch (CompletionException | CancellationException e) {
      return null;
    }
  }

  /** The object was deleted: its file goes too. */
  void forget(String key) {
    files.synchronous().invalidate(key);
  }

  private Path fetched(String key, Fetch fetch) throws IOException {
    Path file = dir.resolve(UUID.randomUUID() + "-" + key.replace('/', '_'));
    try {
      fetch.into(file);
      return file;
    } catch (IOException | RuntimeException e) {
      deleteQuietly(file);
      throw e;
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
