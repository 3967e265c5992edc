package com.volcstudio.bench;

import com.volcstudio.generation.EventTap;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * {@code make bench}: 2,000 clients on {@code GET /api/v1/events} of one app. A task is marked and
 * unmarked as a favourite {@link #ROUNDS} times; each change is one {@code task.progress} event to
 * every client. Delivery is timed twice: from the moment the event is published (after its change
 * is committed; the fan-out's own time) and from just before the request that causes it (so
 * including that request: HTTP, the database write, reading the task back). Heap is the JVM's used
 * heap after a GC, with the clients (which run in the same JVM) included, so it is an upper bound
 * for the app alone.
 */
@Tag("bench")
class SseFanOutBenchmark {

  private static final int SUBSCRIBERS = 2_000;
  private static final int ROUNDS = 20;
  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Test
  void deliveryToTwoThousandSubscribers() throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    // Every subscriber comes from this machine: one client, as far as the per-client cap goes.
    try (BenchApp app =
        BenchApp.start(
            "sse", "DEMO_LATENCY=10ms", "EVENTS_MAX_STREAMS_PER_CLIENT=" + (SUBSCRIBERS + 10))) {
      WebClient api = WebClient.create(app.baseUrl);
      String taskId =
          (String)
              api.post()
                  .uri("/api/v1/generate")
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(Map.of("prompt", "fan-out", "width", 512, "height", 512))
                  .retrieve()
                  .bodyToMono(JSON)
                  .block()
                  .get("task_id");
      Thread.sleep(2000);
      System.gc();
      long heapBefore = memory.getHeapMemoryUsage().getUsed();

      ConnectionProvider pool =
          ConnectionProvider.builder("sse-bench")
              .maxConnections(SUBSCRIBERS + 100)
              .pendingAcquireMaxCount(-1)
              .build();
      HttpClient client =
          HttpClient.create(pool).baseUrl(app.baseUrl).responseTimeout(Duration.ofMinutes(10));
      AtomicLong sentAt = new AtomicLong();
      AtomicLong publishedAt = new AtomicLong();
      AtomicReference<String> marker = new AtomicReference<>("");
      ConcurrentLinkedQueue<Long> delays = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Long> fanOut = new ConcurrentLinkedQueue<>();
      // Subscribed before the clients, so the sink hands it each event before any of them.
      Disposable tap =
          EventTap.published(app.context)
              .subscribe(
                  data -> {
                    if (data.contains(marker.get()) && data.contains(taskId)) {
                      publishedAt.set(System.nanoTime());
                    }
                  });
      CountDownLatch connected = new CountDownLatch(SUBSCRIBERS);
      Disposable.Composite subscribers = Disposables.composite();
      long connecting = System.nanoTime();
      for (int i = 0; i < SUBSCRIBERS; i++) {
        subscribers.add(
            client
                .headers(h -> h.set("Accept", "text/event-stream"))
                .get()
                .uri("/api/v1/events")
                .responseContent()
                .asString(StandardCharsets.UTF_8)
                .subscribe(
                    chunk -> {
                      if (chunk.contains(":connected")) {
                        connected.countDown();
                      }
                      // One event per round carries our task with the favourite flag just set. The
                      // writer sends an
                      // event's header lines and its data as separate buffers, so the data is
                      // recognised on its own.
                      if (chunk.contains(marker.get()) && chunk.contains(taskId)) {
                        long now = System.nanoTime();
                        delays.add(now - sentAt.get());
                        fanOut.add(now - publishedAt.get());
                      }
                    },
                    e -> {}));
      }
      boolean all = connected.await(5, TimeUnit.MINUTES);
      System.out.printf(
          "%nBENCH: sse %d subscribers connected in %.1f s (all: %s)%n",
          SUBSCRIBERS, (System.nanoTime() - connecting) / 1e9, all);
      System.gc();
      long heapConnected = memory.getHeapMemoryUsage().getUsed();

      for (int round = 0; round < ROUNDS; round++) {
        boolean favourite = round % 2 == 0;
        marker.set("\"favourite\":" + favourite);
        sentAt.set(System.nanoTime());
        (favourite ? api.put() : api.delete())
            .uri("/api/v1/task/{id}/favourite", taskId)
            .retrieve()
            .toBodilessEntity()
            .block();
        Thread.sleep(1000);
      }
      System.gc();
      long heapAfter = memory.getHeapMemoryUsage().getUsed();
      report("from the request that causes each event", delays);
      report("from each event's publication (after commit)", fanOut);
      System.out.printf(
          "BENCH: sse used heap after GC: %d MB before clients, %d MB with %d connected, %d MB after the events"
              + " (app and clients in one JVM)%n",
          heapBefore >> 20, heapConnected >> 20, SUBSCRIBERS, heapAfter >> 20);
      tap.dispose();
      subscribers.dispose();
      pool.dispose();
    }
  }

  private static void report(String measured, ConcurrentLinkedQueue<Long> nanos) {
    double[] millis = nanos.stream().mapToDouble(n -> n / 1e6).sorted().toArray();
    if (millis.length == 0) {
      millis = new double[] {Double.NaN};
    }
    System.out.printf(
        "BENCH: sse delivery to %d subscribers × %d events, %s: %,d deliveries (expected %,d),"
            + " p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
        SUBSCRIBERS,
        ROUNDS,
        measured,
        nanos.size(),
        SUBSCRIBERS * ROUNDS,
        BenchApp.percentile(millis, 50),
        BenchApp.percentile(millis, 99),
        millis[millis.length - 1]);
  }
}
