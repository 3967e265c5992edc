package com.volcstudio.reliability;

import com.volcstudio.database.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Issue 18's fan-out figure: 2,000 clients on {@code GET /api/v1/events}, half on each of two
 * replicas (separate processes on one PostgreSQL and one Redis), the clients in this JVM. A task is
 * marked and unmarked as a favourite through replica A {@link #ROUNDS} times; each change is one
 * event to every client, through the shared Redis stream. Delivery is timed from just before the
 * request that causes the event (its HTTP exchange, the database write and the stream's round trip
 * included: an upper bound of the time from the commit), and from the event's append to the shared
 * stream, which its id carries (Redis's clock in ms, on this machine's clock), for A's clients and
 * B's apart; after {@link #WARM_UP_ROUNDS} unmeasured events. The CPU each process spent per event
 * explains the figures on a 2-core machine. Heap is each replica's used heap after a GC (jcmd),
 * read from its own metrics.
 */
@Tag("bench")
class ClusterFanOutBenchmark {

  private static final int SUBSCRIBERS = 2_000;
  private static final Pattern EVENT_ID = Pattern.compile("(?m)^id:(\\d+)$");
  private static final int ROUNDS = 20;
  private static final int WARM_UP_ROUNDS = 6;
  private static final String REPLICAS_SECRET_KEY = "c3R1ZGlvLXJlcGxpY2FzLXNoYXJlLW9uZS1rZXkhISE=";

  @Test
  void deliveryToTwoThousandSubscribersOverTwoReplicas() throws Exception {
    String run = "fan-out-" + System.nanoTime();
    Path dataDir = Path.of("target/test-data", run).toAbsolutePath();
    Path log = Path.of("target/reliability", run + ".log");
    try (PostgresServer postgres = PostgresServer.start("fanout");
        com.volcstudio.coordination.RedisServer redis =
            com.volcstudio.coordination.RedisServer.start()) {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("DATA_DIR", dataDir.toString());
      env.put("DEMO_LATENCY", "10ms");
      env.put("APP_LOG_LEVEL", "WARN");
      env.put("RATE_LIMIT_ENABLED", "false");
      env.put("EVENTS_MAX_STREAMS_PER_CLIENT", String.valueOf(SUBSCRIBERS + 10));
      env.put("DATABASE_URL", postgres.r2dbcUrl("fanout"));
      env.put("DATABASE_USERNAME", "postgres");
      env.put("REDIS_URL", redis.url());
      env.put("APP_SECRET_KEY", REPLICAS_SECRET_KEY);
      try (AppProcess a = AppProcess.start(AppProcess.APP_MAIN, env, List.of(), log);
          AppProcess b = AppProcess.start(AppProcess.APP_MAIN, env, List.of(), log)) {
        Api onA = new Api(a.base());
        String taskId = onA.submit(Map.of("prompt", "fan-out over replicas"));
        CrashRecoveryTests.awaitAll(onA, List.of(taskId), Duration.ofSeconds(60));
        long heapIdleA = heapAfterGc(a);
        long heapIdleB = heapAfterGc(b);

        ConnectionProvider pool =
            ConnectionProvider.builder("cluster-sse-bench")
                .maxConnections(SUBSCRIBERS + 100)
                .pendingAcquireMaxCount(-1)
                .build();
        AtomicLong sentAt = new AtomicLong();
        AtomicReference<String> marker = new AtomicReference<>("");
        Map<String, ConcurrentLinkedQueue<Long>> delays =
            Map.of("A", new ConcurrentLinkedQueue<>(), "B", new ConcurrentLinkedQueue<>());
        Map<String, ConcurrentLinkedQueue<Long>> fromAppend =
            Map.of("A", new ConcurrentLinkedQueue<>(), "B", new ConcurrentLinkedQueue<>());
        CountDownLatch connected = new CountDownLatch(SUBSCRIBERS);
        Disposable.Composite subscribers = Disposables.composite();
        for (int i = 0; i < SUBSCRIBERS; i++) {
          String replica = i % 2 == 0 ? "A" : "B";
          HttpClient client =
              HttpClient.create(pool)
                  .baseUrl((replica.equals("A") ? a : b).base().toString())
                  .responseTimeout(Duration.ofMinutes(10));
          ConcurrentLinkedQueue<Long> mine = delays.get(replica);
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
                        if (chunk.contains(marker.get()) && chunk.contains(taskId)) {
                          long now = System.currentTimeMillis();
                          mine.add(System.nanoTime() - sentAt.get());
                          Matcher id = EVENT_ID.matcher(chunk);
                          if (id.find()) {
                            // The id is the shared stream's entry id: Redis's clock, in ms, when
                            // the event was appended, right after its commit.
                            fromAppend.get(replica).add(now - Long.parseLong(id.group(1)) / 1000);
                          }
                        }
                      },
                      e -> {}));
        }
        boolean all = connected.await(5, TimeUnit.MINUTES);
        long heapConnectedA = heapAfterGc(a);
        long heapConnectedB = heapAfterGc(b);
        long[] cpuBefore = new long[3];
        for (int round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
          if (round == 0) {
            // The warm-up's deliveries are not counted: the first rounds ran the delivery path
            // before it was compiled (twice as slow here), which a running studio has long done.
            delays.values().forEach(ConcurrentLinkedQueue::clear);
            fromAppend.values().forEach(ConcurrentLinkedQueue::clear);
            cpuBefore = new long[] {cpu(ProcessHandle.current().pid()), cpu(a.pid()), cpu(b.pid())};
          }
          boolean favourite = (round + WARM_UP_ROUNDS) % 2 == 0;
          marker.set("\"favourite\":" + favourite);
          sentAt.set(System.nanoTime());
          Api.Answer answer =
              favourite
                  ? onA.put("/api/v1/task/" + taskId + "/favourite")
                  : onA.delete("/api/v1/task/" + taskId + "/favourite");
          if (answer.status() >= 300) {
            throw new IllegalStateException("favourite answered " + answer.status());
          }
          Thread.sleep(1000);
        }
        long[] cpuAfter = {cpu(ProcessHandle.current().pid()), cpu(a.pid()), cpu(b.pid())};
        System.out.printf(
            "%nBENCH: cluster sse %d subscribers over 2 replicas (all connected: %s)%n",
            SUBSCRIBERS, all);
        System.out.printf(
            "BENCH: cluster sse CPU per event (%d events after %d unmeasured): replica A %.0f ms,"
                + " replica B %.0f ms, the clients' JVM %.0f ms, on %d cores%n",
            ROUNDS,
            WARM_UP_ROUNDS,
            (cpuAfter[1] - cpuBefore[1]) * 10.0 / ROUNDS,
            (cpuAfter[2] - cpuBefore[2]) * 10.0 / ROUNDS,
            (cpuAfter[0] - cpuBefore[0]) * 10.0 / ROUNDS,
            Runtime.getRuntime().availableProcessors());
        for (String replica : List.of("A", "B")) {
          double[] millis =
              delays.get(replica).stream().mapToDouble(n -> n / 1e6).sorted().toArray();
          System.out.printf(
              "BENCH: cluster sse delivery to replica %s's %d clients x %d events, from the request"
                  + " on A: %,d deliveries, p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
              replica,
              SUBSCRIBERS / 2,
              ROUNDS,
              millis.length,
              percentile(millis, 50),
              percentile(millis, 99),
              millis.length == 0 ? Double.NaN : millis[millis.length - 1]);
          double[] appended =
              fromAppend.get(replica).stream().mapToDouble(n -> n).sorted().toArray();
          System.out.printf(
              "BENCH: cluster sse delivery to replica %s's clients from the event's append to the"
                  + " shared stream (its id, after the commit; ms clock): %,d deliveries, p50 %.0f"
                  + " ms  p99 %.0f ms  max %.0f ms%n",
              replica,
              appended.length,
              percentile(appended, 50),
              percentile(appended, 99),
              appended.length == 0 ? Double.NaN : appended[appended.length - 1]);
        }
        System.out.printf(
            "BENCH: cluster sse used heap after GC: A %d MB idle, %d MB with %d clients; B %d MB"
                + " idle, %d MB with %d clients%n",
            heapIdleA >> 20,
            heapConnectedA >> 20,
            SUBSCRIBERS / 2,
            heapIdleB >> 20,
            heapConnectedB >> 20,
            SUBSCRIBERS / 2);
        subscribers.dispose();
        pool.dispose();
      }
    }
  }

  /** The replica's used heap right after a full GC it was asked for. */
  private static long heapAfterGc(AppProcess app) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    new ProcessBuilder(jcmd.toString(), String.valueOf(app.pid()), "GC.run")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
    // The heap's pools, summed from the replica's own Prometheus page.
    return new Api(app.base())
        .get("/actuator/prometheus")
        .body()
        .lines()
        .filter(line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The process's CPU time so far (user and system), in Linux's clock ticks of 10 ms. */
  private static long cpu(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(") ") + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
  }
}
