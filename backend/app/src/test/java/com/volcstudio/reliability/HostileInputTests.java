package com.volcstudio.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7's hostile-input part: at least 500 generated malformed or hostile requests across every
 * endpoint of the OpenAPI document (so a new endpoint is covered without editing this test). None
 * may answer 5xx, every 4xx must be {@code application/problem+json}, and a rejected request must
 * leave the database's row counts and DATA_DIR's file listing as they were. The generator is
 * seeded; the seed is printed, and {@code -Dfault.seed=N} repeats a run.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      // Demo mode; a task accepted by a request that was not hostile enough stays queued and stores
      // nothing.
      "DEMO_LATENCY=1h",
      "APP_LOG_LEVEL=ERROR"
    })
class HostileInputTests {

  private static final int MIN_REQUESTS = 500;
  private static final String[] METHODS_WITH_BODY = {"post", "put", "patch"};

  @LocalServerPort int port;

  @Autowired DatabaseClient db;

  @Value("${studio.data-dir}")
  Path dataDir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /** The operations of the document this run sends hostile requests to. */
  boolean covers(Operation operation) {
    return true;
  }

  int minRequests() {
    return MIN_REQUESTS;
  }

  /** An Authorization header for every request that does not make up its own; null: none. */
  @Nullable String authorization() {
    return null;
  }

  @Test
  void hostileRequestsNeverCauseA5xxNorStoreAnything() throws Exception {
    long seed = Long.getLong("fault.seed", System.nanoTime());
    Random random = new Random(seed);
    JsonNode openApi = Api.JSON.readTree(get("/api/docs/openapi.json").body);
    List<Operation> operations = operations(openApi).stream().filter(this::covers).toList();
    assertThat(operations).as("operations in the OpenAPI document").hasSizeGreaterThan(4);

    List<String> failures = new ArrayList<>();
    Map<String, Integer> statuses = new TreeMap<>();
    int sent = 0;
    int rejected = 0;
    int fiveHundreds = 0;
    // The last few exchanges, named when a request gets no answer: a stalled connection is caused
    // by what went before it on that connection, not by the request that waits.
    Deque<String> recent = new ArrayDeque<>();
    while (sent < minRequests()) {
      for (Operation op : operations) {
        HostileRequest request = generate(op, random, openApi);
        Snapshot before = snapshot();
        Answer answer;
        try {
          answer = send(request);
        } catch (IllegalArgumentException notSendable) {
          continue; // a header value java.net.http itself refuses to send
        } catch (IOException noAnswer) {
          // A timeout, or a connection the server closed without answering (once in CI: "header
          // parser received no bytes" on a reused connection): both say what went before.
          throw new AssertionError(
              "no answer ("
                  + noAnswer
                  + ", seed "
                  + seed
                  + ") to "
                  + request.describe()
                  + " after "
                  + recent,
              noAnswer);
        }
        sent++;
        recent.addFirst(request.describe() + " -> " + answer.status);
        if (recent.size() > 4) {
          recent.removeLast();
        }
        statuses.merge(String.valueOf(answer.status), 1, Integer::sum);
        String what = request.method + " " + abbreviate(request.path) + " [" + request.label + "]";
        if (answer.status >= 500) {
          fiveHundreds++;
          failures.add(answer.status + " for " + what + ": " + abbreviate(answer.body));
        } else if (answer.status >= 400) {
          rejected++;
          if (!answer.contentType.startsWith("application/problem+json")) {
            failures.add(
                answer.status + " without problem+json (" + answer.contentType + ") for " + what);
          }
          Snapshot after = snapshot();
          if (!after.equals(before)) {
            failures.add("rejected " + what + " changed storage: " + before + " -> " + after);
          }
        }
      }
    }
    // What was accepted must at least be well-formed text: no lone surrogates, no NUL characters.
    for (String column :
        List.of(
            "generation_task.prompt",
            "generation_task.negative_prompt",
            "generation_task.idempotency_key",
            "preset.name",
            "preset.params_json",
            "app_user.username",
            "api_token.name")) {
      String[] parts = column.split("\\.");
      List<String> values =
          db.sql("SELECT " + parts[1] + " FROM " + parts[0] + " WHERE " + parts[1] + " IS NOT NULL")
              .map(row -> row.get(0, String.class))
              .all()
              .collectList()
              .block();
      values.stream()
          .filter(v -> !wellFormed(v))
          .limit(3)
          .forEach(v -> failures.add("stored malformed text in " + column + ": " + abbreviate(v)));
    }
    System.out.printf(
        "FAULT-SUITE: hostile requests=%d operations=%d rejected_4xx=%d status_5xx=%d problems=%d statuses=%s seed=%d%n",
        sent, operations.size(), rejected, fiveHundreds, failures.size(), statuses, seed);
    failures.stream().limit(40).forEach(f -> System.out.println("FAULT-SUITE:   " + f));
    assertThat(failures).as("hostile-input problems (seed %d)", seed).isEmpty();
  }

  /**
   * Text the upstream cannot take as UTF-8, or that ends C strings early, is refused, never stored.
   */
  @Test
  void promptsAndNamesWithLoneSurrogatesOrNulAreRefused() throws Exception {
    Snapshot before = snapshot();
    List<String> bodies =
        List.of(
            "{\"prompt\": \"lake \\ud800\"}",
            "{\"prompt\": \"\\udfff lake\"}",
            "{\"prompt\": \"lake\\u0000 at night\"}",
            "{\"prompt\": \"lake\", \"negative_prompt\": \"\\ud83d\"}");
    for (String body : bodies) {
      Answer answer =
          send(
              new HostileRequest(
                  "POST",
                  "/api/v1/generate",
                  Map.of("Content-Type", "application/json"),
                  utf8(body),
                  "malformed text"));
      assertThat(answer.status).as("answer to %s: %s", body, answer.body).isEqualTo(400);
      assertThat(answer.contentType).startsWith("application/problem+json");
    }
    Answer preset =
        send(
            new HostileRequest(
                "POST",
                "/api/v1/presets",
                Map.of("Content-Type", "application/json"),
                utf8("{\"name\": \"bad\\ud800\", \"params\": {}}"),
                "malformed name"));
    assertThat(preset.status).as("preset answer: %s", preset.body).isEqualTo(400);
    assertThat(snapshot()).isEqualTo(before);
  }

  // ---- endpoints -------------------------------------------------------------------------------

  record Operation(String method, String path, List<JsonNode> parameters, JsonNode bodySchema) {}

  /** Every operation of the document except the document's own routes. */
  private static List<Operation> operations(JsonNode openApi) {
    List<Operation> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : openApi.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        if (!List.of("get", "post", "put", "patch", "delete").contains(op.getKey())) {
          continue;
        }
        List<JsonNode> params = new ArrayList<>();
        op.getValue().path("parameters").forEach(params::add);
        path.getValue().path("parameters").forEach(params::add);
        JsonNode schema =
            op.getValue()
                .path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema");
        out.add(new Operation(op.getKey().toUpperCase(), path.getKey(), params, schema));
      }
    }
    return out;
  }

  // ---- generation ------------------------------------------------------------------------------

  record HostileRequest(
      String method, String path, Map<String, String> headers, byte[] body, String label) {
    String describe() {
      return method
          + " "
          + abbreviate(path)
          + " ["
          + label
          + "] headers "
          + headers.keySet()
          + ", "
          + body.length
          + " body bytes";
    }
  }

  /** Values that have broken parsers, file systems, databases and templates before. */
  private static final List<String> HOSTILE_STRINGS =
      List.of(
          "../../etc/passwd",
          "..\\..\\windows\\win.ini",
          "....//....//etc/passwd",
          "/etc/passwd",
          "..",
          "<script>alert(1)</script>",
          "\"><img src=x onerror=alert(1)>",
          "' OR 1=1 --",
          "'; DROP TABLE generation_task; --",
          "${jndi:ldap://127.0.0.1/x}",
          "{{7*7}}",
          "%s%s%s%n",
          "\u0000",
          "\u202Egnp.exe",
          "a\u200Bb\u200Dc\uFEFF",
          "\uD800",
          "\uDFFF lone",
          "😀".repeat(300),
          "ا".repeat(500),
          "\u0301\u0301\u0301",
          "  ",
          "",
          "null",
          "true",
          "-1",
          "0",
          "99999999999999999999999999",
          "1e309",
          "NaN",
          "-Infinity",
          "0x7fffffff",
          "00000000-0000-0000-0000-000000000000",
          "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
          "eyJpZCI6Ii4uLy4uIn0",
          "!!!not-base64!!!",
          "x".repeat(5000));

  /**
   * Already-encoded path forms that a router or a file lookup might decode into something
   * dangerous.
   */
  private static final List<String> RAW_SEGMENTS =
      List.of(
          "%2e%2e",
          "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
          "..%2F..%2Fetc%2Fpasswd",
          "%252e%252e%252f",
          "%ED%A0%80",
          "%C0%AE%C0%AE",
          "%00",
          "%0d%0aSet-Cookie:x=1",
          "%FF%FE",
          "a%20b",
          "%",
          "%zz",
          "%u002e");

  private static final List<Object> HOSTILE_VALUES =
      List.of(
          -1,
          0,
          Integer.MAX_VALUE,
          Long.MIN_VALUE,
          new java.math.BigInteger("123456789012345678901234567890"),
          1.5e308,
          -0.0,
          true,
          false,
          List.of(),
          List.of(1, 2, 3),
          Map.of(),
          Map.of("$gt", ""),
          "1024",
          "<b>x</b>");

  private HostileRequest generate(Operation op, Random random, JsonNode openApi) {
    Map<String, String> headers = new LinkedHashMap<>();
    String path = op.path;
    StringBuilder label = new StringBuilder();
    // Path parameters: a hostile value, encoded or raw.
    for (JsonNode p : op.parameters) {
      if (p.path("in").asString().equals("path")) {
        String name = p.path("name").asString();
        String value =
            random.nextInt(3) == 0
                ? pick(RAW_SEGMENTS, random)
                : encode(pick(HOSTILE_STRINGS, random));
        path = path.replace("{" + name + "}", value);
        label.append("path ").append(name).append(' ');
      }
    }
    // Query parameters: each declared one gets a hostile value half of the time.
    List<String> query = new ArrayList<>();
    for (JsonNode p : op.parameters) {
      if (p.path("in").asString().equals("query") && random.nextBoolean()) {
        String value =
            random.nextInt(4) == 0
                ? pick(RAW_SEGMENTS, random)
                : encode(pick(HOSTILE_STRINGS, random));
        query.add(p.path("name").asString() + "=" + value);
        label.append("query ").append(p.path("name").asString()).append(' ');
      }
      if (p.path("in").asString().equals("header")) {
        headers.put(p.path("name").asString(), headerValue(random));
        label.append("header ").append(p.path("name").asString()).append(' ');
      }
    }
    if (random.nextInt(5) == 0) {
      query.add("cursor=" + encode(pick(HOSTILE_STRINGS, random)));
    }
    if (random.nextInt(6) == 0) {
      headers.put("Last-Event-ID", headerValue(random));
    }
    if (!query.isEmpty()) {
      path = path + "?" + String.join("&", query);
    }
    byte[] body = new byte[0];
    if (List.of(METHODS_WITH_BODY).contains(op.method.toLowerCase())) {
      BodyVariant variant = body(op, random, openApi);
      body = variant.bytes;
      headers.put("Content-Type", variant.contentType);
      if (op.path.contains("generate")) {
        headers.putIfAbsent("Idempotency-Key", headerValue(random));
      }
      label.append(variant.label);
    }
    return new HostileRequest(op.method, path, headers, body, label.toString().strip());
  }

  record BodyVariant(byte[] bytes, String contentType, String label) {}

  private static BodyVariant body(Operation op, Random random, JsonNode openApi) {
    Map<String, Object> base = new LinkedHashMap<>();
    List<String> fields = new ArrayList<>();
    JsonNode schema = resolve(op.bodySchema, openApi);
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      fields.add(property.getKey());
    }
    if (fields.contains("prompt")) {
      base.put("prompt", "a quiet lake");
    }
    if (fields.contains("name")) {
      base.put("name", "hostile " + random.nextInt(1_000_000));
    }
    String json = "application/json";
    return switch (random.nextInt(12)) {
      case 0 -> new BodyVariant(utf8("{\"prompt\": \"trunc"), json, "truncated JSON");
      case 1 ->
          new BodyVariant(
              new byte[] {
                '{',
                '"',
                'p',
                'r',
                'o',
                'm',
                'p',
                't',
                '"',
                ':',
                '"',
                (byte) 0xED,
                (byte) 0xA0,
                (byte) 0x80,
                (byte) 0xFF,
                '"',
                '}'
              },
              json,
              "invalid UTF-8 / lone surrogate bytes");
      case 2 ->
          new BodyVariant(
              utf8(
                  Api.JSON.writeValueAsString(
                      with(
                          base,
                          fields.contains("prompt") ? "prompt" : "name",
                          "长".repeat(1 << 20)))),
              json,
              "1 MB text field");
      case 3 ->
          new BodyVariant(
              utf8(Api.JSON.writeValueAsString(base)),
              pick(
                  List.of(
                      "text/plain",
                      "application/xml",
                      "multipart/form-data; boundary=x",
                      "application/x-www-form-urlencoded",
                      "image/png"),
                  random),
              "wrong content type");
      case 4 -> new BodyVariant(utf8("[".repeat(5000) + "]".repeat(5000)), json, "deep nesting");
      case 5 -> new BodyVariant(new byte[0], json, "empty body");
      case 6 ->
          new BodyVariant(
              utf8(
                  pick(
                      List.of(
                          "null",
                          "[]",
                          "42",
                          "\"text\"",
                          "{}",
                          "{,}",
                          "{\"a\":1,}",
                          "{'prompt':'x'}"),
                      random)),
              json,
              "not an object");
      case 7 ->
          new BodyVariant(
              utf8("{\"prompt\":\"x\",\"prompt\":\"y\",\"__proto__\":{\"admin\":true}}"),
              json,
              "duplicate and unknown keys");
      default -> {
        // One field of the schema with a hostile value of the wrong type, size or content.
        if (fields.isEmpty()) {
          yield new BodyVariant(utf8("{\"x\": 1}"), json, "unknown field");
        }
        String field = pick(fields, random);
        Object value =
            random.nextBoolean() ? pick(HOSTILE_VALUES, random) : pick(HOSTILE_STRINGS, random);
        yield new BodyVariant(
            utf8(Api.JSON.writeValueAsString(with(base, field, value))), json, "field " + field);
      }
    };
  }

  private static JsonNode resolve(JsonNode schema, JsonNode openApi) {
    String ref = schema.path("$ref").asString("");
    if (ref.startsWith("#/components/schemas/")) {
      return openApi
          .path("components")
          .path("schemas")
          .path(ref.substring("#/components/schemas/".length()));
    }
    return schema;
  }

  private static Map<String, Object> with(Map<String, Object> base, String field, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(base);
    copy.put(field, value);
    return copy;
  }

  private static String headerValue(Random random) {
    return pick(
        List.of(
            "",
            " ",
            "x".repeat(2000),
            "../../etc/passwd",
            "<script>",
            "ÿÿÿ",
            "\t",
            "a,b;c=d",
            "-1",
            "99999999999999999999999",
            "00000000-0000-0000-0000-000000000000"),
        random);
  }

  // ---- sending and checking
  // ------------------------------------------------------------------------

  record Answer(int status, String contentType, String body) {}

  /** The test's own read (the OpenAPI document, over 64 KB): the whole body. */
  private Answer get(String path) throws IOException, InterruptedException {
    return send(
        new HostileRequest("GET", path, Map.of(), new byte[0], "document"), Integer.MAX_VALUE);
  }

  private Answer send(HostileRequest request) throws IOException, InterruptedException {
    return send(request, 64 * 1024);
  }

  /** Reads at most {@code maxBody} bytes of the answer: enough to quote a hostile one. */
  private Answer send(HostileRequest request, int maxBody)
      throws IOException, InterruptedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + request.path))
            .timeout(Duration.ofSeconds(30))
            .method(
                request.method,
                request.body.length == 0 && request.method.equals("GET")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body));
    request.headers.forEach(builder::header);
    String authorization = authorization();
    if (authorization != null
        && request.headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Authorization"))) {
      builder.header("Authorization", authorization);
    }
    HttpResponse<InputStream> response =
        http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    try (InputStream in = response.body()) {
      // An event stream never ends: its status and type are all this test needs.
      String body =
          contentType.startsWith("text/event-stream")
              ? ""
              : new String(in.readNBytes(maxBody), StandardCharsets.UTF_8);
      return new Answer(response.statusCode(), contentType, body);
    }
  }

  record Snapshot(Map<String, Long> rows, TreeSet<String> files) {}

  /**
   * Row counts of every table and the names of every file under DATA_DIR (the H2 files included).
   */
  private Snapshot snapshot() throws IOException {
    Map<String, Long> rows = new TreeMap<>();
    List<String> tables =
        db.sql("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")
            .map(row -> row.get(0, String.class))
            .all()
            .collectList()
            .block();
    for (String table : tables) {
      rows.put(
          table,
          db.sql("SELECT COUNT(*) FROM \"" + table + "\"")
              .map(row -> row.get(0, Long.class))
              .one()
              .block());
    }
    TreeSet<String> files = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(dataDir)) {
      walk.filter(Files::isRegularFile).forEach(p -> files.add(dataDir.relativize(p).toString()));
    }
    return new Snapshot(rows, files);
  }

  private static boolean wellFormed(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0) {
        return false;
      }
      if (Character.isHighSurrogate(c)
          && (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(++i)))) {
        return false;
      }
      if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static <T> T pick(List<T> values, Random random) {
    return values.get(random.nextInt(values.size()));
  }

  private static String abbreviate(String s) {
    return s.length() > 160 ? s.substring(0, 160) + "…" : s;
  }
}
