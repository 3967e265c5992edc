package com.volcstudio.bench;

import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import io.netty.buffer.ByteBuf;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * {@code make bench}, issue 16's two figures, printed not asserted.
 *
 * <p>Image sets: the app runs live against a standalone emulator through a loopback proxy that
 * notes when each {@code image_generation.partial_succeeded} event leaves the emulator; a client on
 * {@code GET /api/v1/events} notes when the matching {@code task.image} reaches it. Sets of 4, 10
 * runs, one after another.
 *
 * <p>Upscales: 10 tasks doubling 1024² images to 2048² PNGs at once, in demo mode; the JVM's peak
 * heap over the run against its used heap before (after a GC). The emulator paints the results in
 * the same JVM, so the figure bounds the app from above.
 */
@Tag("bench")
class EditBenchmark {

  private static final String ARK_KEY = "bench-ark-key";
  private static final int SET = 4;
  private static final int RUNS = 10;
  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Test
  void imageSetEventsReachASubscriberSoonAfterTheEmulatorSendsThem() throws Exception {
    try (VolcEmulator emulator =
        VolcEmulator.start(
            EmulatorSettings.loopback(0, "AKLTbench", "c2VjcmV0", Duration.ofMillis(300))
                .withArkApiKey(ARK_KEY))) {
      ConcurrentLinkedQueue<Long> sent = new ConcurrentLinkedQueue<>();
      DisposableServer proxy = proxy(emulator.endpoint().toString(), sent);
      try (BenchApp app =
          BenchApp.start(
              "sets",
              "ARK_API_KEY=" + ARK_KEY,
              "ARK_ENDPOINT=http://127.0.0.1:" + proxy.port() + "/api/v3")) {
        ConcurrentLinkedQueue<Long> received = new ConcurrentLinkedQueue<>();
        Disposable subscriber =
            HttpClient.create()
                .responseTimeout(Duration.ofMinutes(10))
                .get()
                .uri(app.baseUrl + "/api/v1/events")
                .responseContent()
                .asString()
                .subscribe(
                    chunk -> {
                      long now = System.nanoTime();
                      for (int at = chunk.indexOf("task.image");
                          at >= 0;
                          at = chunk.indexOf("task.image", at + 1)) {
                        if (chunk.startsWith("event:", Math.max(0, at - 7))
                            || chunk.startsWith("event:", Math.max(0, at - 6))) {
                          received.add(now);
                        }
                      }
                    });
        Thread.sleep(500);
        WebClient api = WebClient.create(app.baseUrl);
        List<Double> delays = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
          sent.clear();
          received.clear();
          String taskId =
              (String)
                  api.post()
                      .uri("/api/v1/generate")
                      .contentType(MediaType.APPLICATION_JSON)
                      .bodyValue(
                          Map.of(
                              "prompt",
                              "bench set " + run,
                              "model",
                              "seedream_4.0",
                              "sequential",
                              true,
                              "num_images",
                              SET,
                              "width",
                              1024,
                              "height",
                              1024))
                      .retrieve()
                      .bodyToMono(JSON)
                      .block()
                      .get("task_id");
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          while (received.size() < SET && System.nanoTime() < deadline) {
            Thread.sleep(20);
          }
          Long[] out = sent.toArray(Long[]::new);
          Long[] in = received.toArray(Long[]::new);
          for (int i = 0; i < Math.min(out.length, in.length); i++) {
            delays.add((in[i] - out[i]) / 1e6);
          }
          if (in.length < SET) {
            System.out.printf(
                "run %d (%s): only %d of %d images announced%n", run, taskId, in.length, SET);
          }
        }
        subscriber.dispose();
        double[] sorted = delays.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(
            "BENCH: image sets, partial_succeeded at the emulator → task.image at a subscriber, %d images"
                + " (%d sets of %d): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
            sorted.length,
            RUNS,
            SET,
            BenchApp.percentile(sorted, 50),
            BenchApp.percentile(sorted, 99),
            sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
      } finally {
        proxy.disposeNow();
      }
    }
  }

  @Test
  void tenUpscalesOf2048ResultsStoredAtOnce() throws Exception {
    try (BenchApp app = BenchApp.start("upscale", "DEMO_LATENCY=50ms", "MAX_CONCURRENT_TASKS=10")) {
      WebClient api = WebClient.create(app.baseUrl);
      List<String> sources = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        sources.add(
            (String)
                api.post()
                    .uri("/api/v1/generate")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(
                        Map.of("prompt", "upscale source " + i, "width", 1024, "height", 1024))
                    .retrieve()
                    .bodyToMono(JSON)
                    .block()
                    .get("task_id"));
      }
      List<String> imageIds = new ArrayList<>();
      for (String taskId : sources) {
        imageIds.add(imageOf(api, taskId));
      }
      System.gc();
      Thread.sleep(500);
      long before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      List<MemoryPoolMXBean> heap =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(pool -> pool.getType() == MemoryType.HEAP)
              .toList();
      heap.forEach(MemoryPoolMXBean::resetPeakUsage);
      long started = System.nanoTime();
      CountDownLatch done = new CountDownLatch(imageIds.size());
      List<String> edits = new ArrayList<>();
      for (String imageId : imageIds) {
        edits.add(
            (String)
                api.post()
                    .uri("/api/v1/edits")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("source_image_id", imageId, "operation", "upscale"))
                    .retrieve()
                    .bodyToMono(JSON)
                    .block()
                    .get("task_id"));
      }
      for (String edit : edits) {
        imageOf(api, edit);
        done.countDown();
      }
      done.await();
      long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
      System.out.printf(
          "BENCH: upscale, 10 tasks of 2048² PNG results at once in %.1f s; heap before %d MB,"
              + " peak over the run %d MB (+%d MB, the in-process emulator's painting included)%n",
          (System.nanoTime() - started) / 1e9, before >> 20, peak >> 20, (peak - before) >> 20);
    }
  }

  /** The first image of a task once it has completed. */
  @SuppressWarnings("unchecked")
  private static String imageOf(WebClient api, String taskId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      Map<String, Object> task =
          api.get().uri("/api/v1/task/{id}", taskId).retrieve().bodyToMono(JSON).block();
      if ("completed".equals(task.get("status"))) {
        return (String) ((List<Map<String, Object>>) task.get("images")).get(0).get("image_id");
      }
      if ("failed".equals(task.get("status"))) {
        throw new IllegalStateException("task " + taskId + " failed: " + task.get("error"));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("task " + taskId + " did not finish");
  }

  /**
   * Forwards Ark's calls to the emulator and notes when each {@code partial_succeeded} event passes
   * (a frame's event line can straddle two chunks: the tail of the last one is kept).
   */
  private static DisposableServer proxy(String emulator, ConcurrentLinkedQueue<Long> sent) {
    HttpClient upstream = HttpClient.create().responseTimeout(Duration.ofMinutes(5));
    String marker = "event: image_generation.partial_succeeded";
    return HttpServer.create()
        .host("127.0.0.1")
        .port(0)
        .handle(
            (request, response) ->
                request
                    .receive()
                    .aggregate()
                    .asByteArray()
                    .flatMapMany(
                        body ->
                            upstream
                                .headers(
                                    headers ->
                                        request
                                            .requestHeaders()
                                            .forEach(
                                                entry -> {
                                                  if (!entry.getKey().equalsIgnoreCase("host")
                                                      && !entry
                                                          .getKey()
                                                          .equalsIgnoreCase("content-length")) {
                                                    headers.add(entry.getKey(), entry.getValue());
                                                  }
                                                }))
                                .post()
                                .uri(emulator + request.uri())
                                .send(Mono.just(io.netty.buffer.Unpooled.wrappedBuffer(body)))
                                .response(
                                    (upstreamResponse, content) -> {
                                      response.status(upstreamResponse.status());
                                      upstreamResponse
                                          .responseHeaders()
                                          .forEach(
                                              entry -> {
                                                if (!entry
                                                        .getKey()
                                                        .equalsIgnoreCase("content-length")
                                                    && !entry
                                                        .getKey()
                                                        .equalsIgnoreCase("transfer-encoding")) {
                                                  response.header(entry.getKey(), entry.getValue());
                                                }
                                              });
                                      StringBuilder tail = new StringBuilder();
                                      return response.send(
                                          content
                                              .retain()
                                              .doOnNext(chunk -> scan(chunk, marker, tail, sent)));
                                    }))
                    .then())
        .bindNow();
  }

  private static void scan(
      ByteBuf chunk, String marker, StringBuilder tail, ConcurrentLinkedQueue<Long> sent) {
    String text = tail + chunk.toString(StandardCharsets.UTF_8);
    int from = 0;
    while ((from = text.indexOf(marker, from)) >= 0) {
      sent.add(System.nanoTime());
      from += marker.length();
    }
    tail.setLength(0);
    tail.append(text, Math.max(0, text.length() - marker.length() + 1), text.length());
    // The tail is checked again with the next chunk; a marker wholly inside it was counted above
    // and cannot be whole in the tail (it is one character short).
  }
}
