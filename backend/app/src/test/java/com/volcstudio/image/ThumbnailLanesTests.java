package com.volcstudio.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The two lanes on one real thread, as with THUMBNAIL_THREADS=1. */
class ThumbnailLanesTests {

  private final ExecutorService pool = Executors.newSingleThreadExecutor();
  private final ThumbnailLanes lanes = new ThumbnailLanes(pool);
  private final List<String> ran = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void aWantedThumbnailRunsBeforeTheBacklogAndAPromotedOneRunsOnce() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    lanes.submit(() -> await(busy), false); // the pool's one thread, taken
    List<ThumbnailLanes.Job> backlog = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String name = "background-" + i;
      backlog.add(lanes.submit(() -> ran.add(name), false));
    }
    lanes.submit(() -> ran.add("wanted"), true);
    lanes.promote(backlog.get(15)); // a request for one already queued in the background
    lanes.promote(backlog.get(15)); // and another for the same

    busy.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    assertThat(ran).hasSize(21);
    assertThat(ran.subList(0, 2)).containsExactly("wanted", "background-15");
    assertThat(ran.subList(2, 21))
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, 20)
                .filter(i -> i != 15)
                .mapToObj(i -> "background-" + i)
                .toList());
  }

  @Test
  void aJobPromotedAfterItRanIsNotRunAgain() throws Exception {
    ThumbnailLanes.Job job = lanes.submit(() -> ran.add("once"), false);
    pool.submit(() -> {}).get(10, TimeUnit.SECONDS); // the job has run by now (one thread, FIFO)
    lanes.promote(job);
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).containsExactly("once");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
