package com.volcstudio.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
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
 * every client. Delivery time is from just before the request that causes the event to its arrival
 * at each client, so it includes that request. Heap is the JVM's used heap after a GC, with the
 * clients (which run in the same JVM) included, so it is an upper bound for the app alone.
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
    try (BenchApp app = BenchApp.start("sse", "DEMO_LATENCY=10ms")) {
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
      AtomicReference<String> marker = new AtomicReference<>("");
      ConcurrentLinkedQueue<Long> delays = new ConcurrentLinkedQueue<>();
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
                        delays.add(System.nanoTime() - sentAt.get());
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
      long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
      double[] millis = Arrays.stream(sorted).mapToDouble(n -> n / 1e6).toArray();
      if (millis.length == 0) {
        millis = new double[] {Double.NaN};
      }
      System.out.printf(
          "BENCH: sse delivery to %d subscribers × %d events: %,d deliveries (expected %,d), p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
          SUBSCRIBERS,
          ROUNDS,
          millis.length,
          SUBSCRIBERS * ROUNDS,
          BenchApp.percentile(millis, 50),
          BenchApp.percentile(millis, 99),
          millis.length == 0 ? 0 : millis[millis.length - 1]);
      System.out.printf(
          "BENCH: sse used heap after GC: %d MB before clients, %d MB with %d connected, %d MB after the events"
              + " (app and clients in one JVM)%n",
          heapBefore >> 20, heapConnected >> 20, SUBSCRIBERS, heapAfter >> 20);
      subscribers.dispose();
      pool.dispose();
    }
  }
}
