package com.volcstudio.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bucket's disk cache on a real folder, with fetches that write real files. */
class ObjectCacheTests {

  @TempDir Path dir;

  @Test
  void callersOfOneKeyShareOneFetchAndLaterOnesGetTheFileWithoutFetching() throws Exception {
    ObjectCache cache = new ObjectCache(dir, 1 << 20);
    AtomicInteger fetches = new AtomicInteger();
    CountDownLatch fetching = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ObjectCache.Fetch slow =
        file -> {
          fetches.incrementAndGet();
          fetching.countDown();
          await(release);
          Files.write(file, new byte[100]);
        };
    CompletableFuture<Path> first =
        CompletableFuture.supplyAsync(() -> unchecked(() -> cache.file("images/a.png", slow)));
    assertThat(fetching.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Path> second =
        CompletableFuture.supplyAsync(() -> unchecked(() -> cache.file("images/a.png", slow)));
    // Another key is not held up by the fetch in progress.
    Path other = cache.file("images/b.png", file -> Files.write(file, new byte[10]));
    assertThat(other).exists();
    release.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(second.get(5, TimeUnit.SECONDS));
    assertThat(cache.file("images/a.png", slow)).isEqualTo(first.get());
    assertThat(fetches).hasValue(1);
  }

  @Test
  void aFailedFetchLeavesNoFileAndTheNextCallFetchesAgain() throws Exception {
    ObjectCache cache = new ObjectCache(dir, 1 << 20);
    assertThatThrownBy(
            () ->
                cache.file(
                    "images/gone.png",
                    file -> {
                      Files.write(file, new byte[50]); // half a download
                      throw new NoSuchFileException("images/gone.png");
                    }))
        .isInstanceOf(NoSuchFileException.class);
    assertThat(files()).isEmpty();

    assertThat(cache.file("images/gone.png", file -> Files.write(file, new byte[5]))).hasSize(5);
  }

  @Test
  void aFileRemovedBehindTheCachesBackIsFetchedAgain() throws Exception {
    ObjectCache cache = new ObjectCache(dir, 1 << 20);
    Path first = cache.file("uploads/u.png", file -> Files.write(file, new byte[7]));
    Files.delete(first);

    Path again = cache.file("uploads/u.png", file -> Files.write(file, new byte[7]));
    assertThat(again).isNotEqualTo(first).hasSize(7);
  }

  @Test
  void overItsSizeEvictedFilesAreDeletedAndAForgottenKeysFileGoesAtOnce() throws Exception {
    ObjectCache cache = new ObjectCache(dir, 3_000);
    for (int i = 0; i < 6; i++) {
      cache.file("images/" + i + ".png", file -> Files.write(file, new byte[1_000]));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (files().size() > 3) {
      assertThat(System.nanoTime()).as("evicted files deleted").isLessThan(deadline);
      Thread.sleep(20);
    }
    // One that stayed (files are named <random>-<key with _ for />).
    Path kept = files().get(0);
    String name = kept.getFileName().toString();
    cache.forget(name.substring(name.indexOf('-', 36) + 1).replace('_', '/'));
    deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (Files.exists(kept)) {
      assertThat(System.nanoTime()).as("a forgotten key's file deleted").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void aNewCacheClearsWhatAnEarlierRunLeft() throws Exception {
    Files.write(dir.resolve("left-over"), new byte[3]);
    new ObjectCache(dir, 1 << 20);
    assertThat(files()).isEmpty();
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> listed = Files.list(dir)) {
      return listed.toList();
    }
  }

  private interface IoSupplier<T> {
    T get() throws IOException;
  }

  private static <T> T unchecked(IoSupplier<T> call) {
    try {
      return call.get();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
