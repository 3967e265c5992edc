package com.volcstudio.bench;

import com.volcstudio.database.PostgresServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * {@code make bench}: history pages over real HTTP with 100,000 finished tasks (and as many images)
 * in the database, seeded by two INSERT … SELECT statements. One client, requests one after
 * another, so the figures are the server's time per page plus a loopback round trip; meanwhile one
 * row is updated every 100 ms, as while tasks generate.
 */
@Tag("bench")
class HistoryBenchmark {

  static final int TASKS = 100_000;
  private static final int WARM_UP = 50;

  /**
   * Each shape is also warmed up for at least this long. Fifty requests of a fast shape take half a
   * second, and the first shape measured after the seed then ran while C2 was still compiling the
   * request path: 5.5 s of compilations over 100 ms each inside its 300 samples, against 1.5 s in a
   * second pass over the same shape, whose p50 was half the first's (9.3 against 4.7 ms). A
   * long-running app serves its pages compiled; the figures are meant to be that steady state.
   */
  private static final Duration WARM_UP_AT_LEAST = Duration.ofSeconds(3);

  private static final int SAMPLES = 300;

  /**
   * As while tasks are generating; it also keeps H2 from answering a repeated query from its result
   * cache.
   */
  private static final Duration WRITE_EVERY = Duration.ofMillis(100);

  private static final Pattern NEXT_CURSOR = Pattern.compile("\"next_cursor\":\"([^\"]+)\"");

  @Test
  void historyPagesAtOneHundredThousandTasks() throws Exception {
    // Retention off: 100k seeded tasks are over the default MAX_STORAGE_GB and older than
    // MAX_HISTORY_DAYS, and its cleanup deleted about a third of them a minute into the run.
    try (BenchApp app = BenchApp.start("history", "MAX_STORAGE_GB=0", "MAX_HISTORY_DAYS=0")) {
      run(app, "", HistoryBenchmark::seed);
    }
  }

  /** The same pages with the tables in PostgreSQL (DATABASE_URL, a server on loopback). */
  @Test
  void historyPagesAtOneHundredThousandTasksOnPostgres() throws Exception {
    try (PostgresServer postgres = PostgresServer.start("history");
        BenchApp app =
            BenchApp.start(
                "history-pg",
                "MAX_STORAGE_GB=0",
                "MAX_HISTORY_DAYS=0",
                "DATABASE_URL=" + postgres.r2dbcUrl("history"),
                "DATABASE_USERNAME=postgres")) {
      run(app, "PostgreSQL: ", HistoryBenchmark::seedPostgres);
    }
  }

  private static void run(
      BenchApp app, String database, java.util.function.BiConsumer<DatabaseClient, Integer> seeder)
      throws Exception {
    long seeding = System.nanoTime();
    seeder.accept(app.bean(DatabaseClient.class), TASKS);
    System.out.printf(
        "%nBENCH: history %sseeded %,d tasks + %,d images in %.1f s%n",
        database, TASKS, TASKS, (System.nanoTime() - seeding) / 1e9);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    awaitSearchIndex(http, app);
    DatabaseClient db = app.bean(DatabaseClient.class);
    String written =
        db.sql("SELECT id FROM generation_task WHERE status = 'completed' LIMIT 1")
            .map(row -> row.get("id", String.class))
            .one()
            .block();
    Disposable writer =
        Flux.interval(WRITE_EVERY)
            // On a busy machine an UPDATE can take longer than the interval: skip that tick
            // rather than let interval fail with an overflow and stop writing for the rest of
            // the run.
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    db.sql("UPDATE generation_task SET attempts = attempts + 1 WHERE id = :id")
                        .bind("id", written)
                        .then())
            .subscribe();

    String deepCursor = cursorAfterPages(http, app.baseUrl, 20);
    Map<String, String> shapes = new LinkedHashMap<>();
    shapes.put("page 1, limit 50", "/api/v1/history?limit=50");
    shapes.put("page 200, limit 50 (offset 9,950)", "/api/v1/history?limit=50&page=200");
    shapes.put(
        "cursor after 1,000 rows, limit 50", "/api/v1/history?limit=50&cursor=" + deepCursor);
    shapes.put(
        "search q=猫咪 (Chinese)",
        "/api/v1/history?limit=50&q=" + URLEncoder.encode("猫咪", StandardCharsets.UTF_8));
    shapes.put("search q=Lighthouse (English, any case)", "/api/v1/history?limit=50&q=Lighthouse");
    shapes.put("search, rare word (q=needle-77777)", "/api/v1/history?limit=50&q=needle-77777");
    // %20, not +: WebFlux decodes a query's + as a plus sign.
    shapes.put(
        "search, one match (q=第 77776 张)", "/api/v1/history?limit=50&q=" + query("第 77776 张"));
    shapes.put(
        "search, one match (q=painting #77777)",
        "/api/v1/history?limit=50&q=" + query("painting #77777"));
    shapes.put("filter model=general_v3.0", "/api/v1/history?limit=50&model=general_v3.0");
    shapes.put("filter favourite=true", "/api/v1/history?limit=50&favourite=true");
    shapes.put("filter status=failed", "/api/v1/history?limit=50&status=failed");
    try {
      for (Map.Entry<String, String> shape : shapes.entrySet()) {
        measure(http, app.baseUrl + shape.getValue(), database + shape.getKey());
      }
    } finally {
      writer.dispose();
    }
  }

  /**
   * The seed went straight into the table, so the first search finds more rows than the search
   * index was told of and has it read them all, as at start-up: how long that takes.
   */
  private static void awaitSearchIndex(HttpClient http, BenchApp app) throws Exception {
    long started = System.nanoTime();
    check(
        http.send(
            HttpRequest.newBuilder(URI.create(app.baseUrl + "/api/v1/history?q=needle")).build(),
            HttpResponse.BodyHandlers.ofByteArray()),
        "first search");
    MeterRegistry registry = app.bean(MeterRegistry.class);
    while (registry.get("studio.search.index.ready").gauge().value() < 1
        || registry.get("studio.search.index.tasks").gauge().value() < TASKS) {
      if (System.nanoTime() - started > Duration.ofMinutes(2).toNanos()) {
        throw new IllegalStateException("the search index did not load within 2 minutes");
      }
      Thread.sleep(10);
    }
    System.out.printf(
        "BENCH: history search index read %,.0f prompts (%.1f MB of heap) in %.2f s%n",
        registry.get("studio.search.index.tasks").gauge().value(),
        registry.get("studio.search.index.bytes").gauge().value() / 1e6,
        (System.nanoTime() - started) / 1e9);
  }

  private static void measure(HttpClient http, String url, String label) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
    long bytes = 0;
    long warmUntil = System.nanoTime() + WARM_UP_AT_LEAST.toNanos();
    for (int i = 0; i < WARM_UP || System.nanoTime() < warmUntil; i++) {
      check(http.send(request, HttpResponse.BodyHandlers.ofByteArray()), url);
    }
    double[] millis = new double[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      long started = System.nanoTime();
      bytes = check(http.send(request, HttpResponse.BodyHandlers.ofByteArray()), url).body().length;
      millis[i] = (System.nanoTime() - started) / 1e6;
    }
    Arrays.sort(millis);
    System.out.printf(
        "BENCH: history %-42s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  (%,d bytes)%n",
        label,
        BenchApp.percentile(millis, 50),
        BenchApp.percentile(millis, 99),
        millis[millis.length - 1],
        bytes);
  }

  private static String cursorAfterPages(HttpClient http, String base, int pages) throws Exception {
    String cursor = null;
    for (int i = 0; i < pages; i++) {
      String url = base + "/api/v1/history?limit=50" + (cursor == null ? "" : "&cursor=" + cursor);
      String body =
          new String(
              check(
                      http.send(
                          HttpRequest.newBuilder(URI.create(url)).build(),
                          HttpResponse.BodyHandlers.ofByteArray()),
                      url)
                  .body(),
              StandardCharsets.UTF_8);
      Matcher m = NEXT_CURSOR.matcher(body);
      if (!m.find()) {
        throw new IllegalStateException(
            "no next_cursor in " + body.substring(0, Math.min(200, body.length())));
      }
      cursor = m.group(1);
    }
    return cursor;
  }

  private static String query(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static HttpResponse<byte[]> check(HttpResponse<byte[]> response, String url) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          url
              + " answered "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    return response;
  }

  /**
   * {@code tasks} finished tasks a second apart, newest now: prompts in Chinese and English (one in
   * 100,000 with a rare word), eleven models, one in 50 a favourite, one in 20 failed; one image
   * each.
   */
  static void seed(DatabaseClient db, int tasks) {
    db.sql(
            "INSERT INTO generation_task (id, status, stage, progress, model, prompt, negative_prompt, width, height, num_images,"
                + " seed, attempts, favourite, created_at, started_at, completed_at, error_code, error_message_zh, error_message_en,"
                + " error_upstream_message, error_retryable)"
                + " SELECT RANDOM_UUID(), CASE WHEN MOD(X, 20) = 7 THEN 'failed' ELSE 'completed' END, 'done', 100,"
                + " CASEWHEN(MOD(X, 11) = 0, 'general_v3.0', CASEWHEN(MOD(X, 2) = 0, 'general_v2.0', 'seedream_4.0')),"
                + " CASE MOD(X, 4) WHEN 0 THEN '一只可爱的猫咪在阳光下，第 ' || X || ' 张'"
                + "   WHEN 1 THEN 'A lighthouse on a rocky coast at dusk, oil painting #' || X"
                + "   WHEN 2 THEN '水墨山水，远山与小舟 ' || X"
                + "   ELSE 'Portrait of an astronaut in a sunflower field, 35mm photo ' || CASEWHEN(X = 77777, 'needle-77777', CAST(X AS VARCHAR)) END,"
                + " '', 1024, 1024, 1, X, 1, MOD(X, 50) = 3,"
                + " DATEADD('SECOND', -X, CURRENT_TIMESTAMP), DATEADD('SECOND', -X, CURRENT_TIMESTAMP), DATEADD('SECOND', 2 - X, CURRENT_TIMESTAMP),"
                + " CASEWHEN(MOD(X, 20) = 7, '50412', NULL), CASEWHEN(MOD(X, 20) = 7, '审核未通过', NULL),"
                + " CASEWHEN(MOD(X, 20) = 7, 'Rejected by moderation', NULL), CASEWHEN(MOD(X, 20) = 7, 'Pre Text Risk Not Pass', NULL),"
                + " CASEWHEN(MOD(X, 20) = 7, FALSE, NULL)"
                + " FROM SYSTEM_RANGE(1, "
                + tasks
                + ")")
        .then()
        .block();
    db.sql(
            "INSERT INTO stored_image (id, task_id, image_index, seed, width, height, mime_type, size_bytes, created_at,"
                + " params_json)"
                + " SELECT RANDOM_UUID(), id, 0, seed, 1024, 1024, 'image/png', 1500000, completed_at,"
                // The parameters each image records since V7, built as V7 built them for older
                // rows.
                + " CAST(JSON_OBJECT('model': model, 'prompt': prompt, 'negative_prompt': negative_prompt,"
                + " 'width': width, 'height': height, 'steps': steps, 'scale': scale,"
                + " 'options': options_json FORMAT JSON NULL ON NULL) AS VARCHAR(16000))"
                + " FROM generation_task WHERE status = 'completed'")
        .then()
        .block();
  }

  /** {@link #seed} in PostgreSQL's SQL: the same rows, the same prompts. */
  static void seedPostgres(DatabaseClient db, int tasks) {
    db.sql(
            "INSERT INTO generation_task (id, status, stage, progress, model, prompt, negative_prompt, width, height, num_images,"
                + " seed, attempts, favourite, created_at, started_at, completed_at, error_code, error_message_zh, error_message_en,"
                + " error_upstream_message, error_retryable)"
                + " SELECT gen_random_uuid()::varchar, CASE WHEN x % 20 = 7 THEN 'failed' ELSE 'completed' END, 'done', 100,"
                + " CASE WHEN x % 11 = 0 THEN 'general_v3.0' WHEN x % 2 = 0 THEN 'general_v2.0' ELSE 'seedream_4.0' END,"
                + " CASE x % 4 WHEN 0 THEN '一只可爱的猫咪在阳光下，第 ' || x || ' 张'"
                + "   WHEN 1 THEN 'A lighthouse on a rocky coast at dusk, oil painting #' || x"
                + "   WHEN 2 THEN '水墨山水，远山与小舟 ' || x"
                + "   ELSE 'Portrait of an astronaut in a sunflower field, 35mm photo '"
                + "     || CASE WHEN x = 77777 THEN 'needle-77777' ELSE x::varchar END END,"
                + " '', 1024, 1024, 1, x, 1, x % 50 = 3,"
                + " now() - x * interval '1 second', now() - x * interval '1 second',"
                + " now() - (x - 2) * interval '1 second',"
                + " CASE WHEN x % 20 = 7 THEN '50412' END, CASE WHEN x % 20 = 7 THEN '审核未通过' END,"
                + " CASE WHEN x % 20 = 7 THEN 'Rejected by moderation' END,"
                + " CASE WHEN x % 20 = 7 THEN 'Pre Text Risk Not Pass' END, CASE WHEN x % 20 = 7 THEN FALSE END"
                + " FROM generate_series(1, "
                + tasks
                + ") AS x")
        .then()
        .block();
    db.sql(
            "INSERT INTO stored_image (id, task_id, image_index, seed, width, height, mime_type, size_bytes, created_at,"
                + " params_json)"
                + " SELECT gen_random_uuid()::varchar, id, 0, seed, 1024, 1024, 'image/png', 1500000, completed_at,"
                + " json_build_object('model', model, 'prompt', prompt, 'negative_prompt', negative_prompt,"
                + " 'width', width, 'height', height, 'steps', steps, 'scale', scale,"
                + " 'options', options_json::json)::varchar"
                + " FROM generation_task WHERE status = 'completed'")
        .then()
        .block();
    // What autovacuum does after a load like this: statistics, and the visibility map that lets a
    // count read an index only.
    db.sql("VACUUM ANALYZE").then().block();
  }
}
