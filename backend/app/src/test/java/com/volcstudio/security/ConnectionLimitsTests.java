package com.volcstudio.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Login off: what one client may hold open. Event streams are capped per client address (behind a
 * proxy, the address the proxy forwards), and connections that send no complete request, or stop
 * halfway, are closed by the backend itself. The timeouts are seconds here so the test need not
 * wait for the real defaults.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=50ms",
      "APP_IDLE_TIMEOUT=2s",
      "APP_REQUEST_TIMEOUT=3s",
      "EVENTS_MAX_STREAMS_PER_CLIENT=20"
    })
class ConnectionLimitsTests {

  static final Duration WAIT = Duration.ofSeconds(10);

  @LocalServerPort int port;

  @Test
  void aClientsTwentyFirstEventStreamIsRefusedWhileItsTwentyStayOpen() throws IOException {
    String client = "X-Forwarded-For: 198.51.100.7\r\n";
    List<RawHttp> streams = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        streams.add(openStream(client));
      }
      try (RawHttp refused = RawHttp.connect(port)) {
        refused.send(RawHttp.eventStreamRequest("/api/v1/events", client));
        RawHttp.Head head = refused.readHead(WAIT);
        assertThat(head.status()).isEqualTo(429);
        assertThat(head.header("content-type")).startsWith("application/problem+json");
        assertThat(head.header("retry-after")).matches("[1-9][0-9]*");
        assertThat(refused.readBody(head)).contains("20");
      }
      // The per-task stream counts towards the same cap.
      try (RawHttp refused = RawHttp.connect(port)) {
        refused.send(
            RawHttp.eventStreamRequest(
                "/api/v1/task/0b9f5c1e-7d7a-4c36-9d61-2f1f5a3c8e11/events", client));
        assertThat(refused.readHead(WAIT).status()).isEqualTo(429);
      }
      for (RawHttp stream : streams) {
        assertThat(stream.staysOpenFor(Duration.ofMillis(50))).isTrue();
      }
      // Another client is not affected.
      try (RawHttp other = openStream("X-Forwarded-For: 198.51.100.8\r\n")) {
        assertThat(other.staysOpenFor(Duration.ofMillis(50))).isTrue();
      }
      // A stream that ends gives its place back.
      streams.remove(0).close();
      long deadline = System.nanoTime() + WAIT.toNanos();
      int status = 0;
      while (System.nanoTime() < deadline) {
        try (RawHttp again = RawHttp.connect(port)) {
          again.send(RawHttp.eventStreamRequest("/api/v1/events", client));
          status = again.readHead(WAIT).status();
        }
        if (status == 200) {
          break;
        }
        sleep(200);
      }
      assertThat(status).as("a stream after one of the twenty was closed").isEqualTo(200);
    } finally {
      for (RawHttp stream : streams) {
        stream.close();
      }
    }
  }

  @Test
  void aConnectionThatSendsHalfARequestHeadIsClosed() throws IOException {
    try (RawHttp half = RawHttp.connect(port)) {
      half.send("GET /api/v1/system/info HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: appl");
      long start = System.nanoTime();
      assertThat(half.closedWithin(WAIT)).as("closed by the backend").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void aRequestHeadTrickledByteByByteIsClosedWhenTheIdleTimeoutRunsOut() throws IOException {
    byte[] head =
        "GET /api/v1/system/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    try (RawHttp slow = RawHttp.connect(port)) {
      long start = System.nanoTime();
      boolean closed = false;
      for (int i = 0; i < head.length - 2 && !closed; i++) {
        try {
          slow.send(new byte[] {head[i]});
        } catch (IOException reset) {
          closed = true;
          break;
        }
        // A byte every 250 ms: never quiet for long, yet the head is never complete.
        closed = slow.closedWithin(Duration.ofMillis(250));
      }
      assertThat(closed).as("closed while the head was still arriving").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosed() throws IOException {
    try (RawHttp idle = RawHttp.connect(port)) {
      idle.send("GET /api/v1/system/info HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n");
      RawHttp.Head head = idle.readHead(WAIT);
      assertThat(head.status()).isEqualTo(200);
      idle.readBody(head);
      assertThat(idle.closedWithin(WAIT)).as("an idle keep-alive connection is closed").isTrue();
    }
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void aRequestBodyThatStopsHalfwayIsCutOffWithoutAnErrorInTheLog(CapturedOutput output)
      throws IOException {
    try (RawHttp stalled = RawHttp.connect(port)) {
      stalled.send(
          "POST /api/v1/presets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Content-Length: 1000\r\n\r\n{\"name\":");
      long start = System.nanoTime();
      assertThat(stalled.closedWithin(WAIT)).as("closed by the backend").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(1));
    }
    sleep(500);
    assertThat(output.getAll()).doesNotContain(" ERROR ");
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void aRequestBodyTrickledForeverIsCutOffWithoutAnErrorInTheLog(CapturedOutput output)
      throws IOException {
    try (RawHttp slow = RawHttp.connect(port)) {
      slow.send(
          "POST /api/v1/presets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Content-Length: 1000\r\n\r\n{");
      long start = System.nanoTime();
      boolean closed = false;
      while (!closed && System.nanoTime() - start < WAIT.toNanos()) {
        try {
          slow.send(" ");
        } catch (IOException reset) {
          closed = true;
          break;
        }
        // A byte every 500 ms: each read comes in time, the whole body never does.
        closed = slow.closedWithin(Duration.ofMillis(500));
      }
      assertThat(closed).as("cut off by APP_REQUEST_TIMEOUT").isTrue();
    }
    sleep(500);
    assertThat(output.getAll()).doesNotContain(" ERROR ");
  }

  @Test
  void anEventStreamOutlivesTheIdleAndRequestTimeouts() throws IOException {
    try (RawHttp stream = openStream("X-Forwarded-For: 198.51.100.9\r\n")) {
      sleep(4_500);
      // Something that emits an event: pausing the queue announces queue.changed.
      post("/api/v1/queue/pause");
      post("/api/v1/queue/resume");
      assertThat(stream.awaitText("queue.changed", WAIT)).isTrue();
    }
  }

  @Test
  void healthDetailsAreShownToThisMachineButOnlyTheStatusToOthers() throws IOException {
    try (RawHttp local = RawHttp.connect(port)) {
      local.send("GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      RawHttp.Head head = local.readHead(WAIT);
      assertThat(head.status()).isEqualTo(200);
      assertThat(local.readBody(head)).contains("\"storage\"", "\"r2dbc\"");
    }
    try (RawHttp remote = RawHttp.connect(port)) {
      // Behind nginx: the request comes from the proxy and names the client it came from.
      remote.send(
          "GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: 203.0.113.5\r\n\r\n");
      RawHttp.Head head = remote.readHead(WAIT);
      assertThat(head.status()).isEqualTo(200);
      String body = remote.readBody(head);
      assertThat(body).contains("\"status\":\"UP\"").doesNotContain("storage", "r2dbc", "details");
    }
  }

  private RawHttp openStream(String extraHeaders) throws IOException {
    RawHttp stream = RawHttp.connect(port);
    stream.send(RawHttp.eventStreamRequest("/api/v1/events", extraHeaders));
    RawHttp.Head head = stream.readHead(WAIT);
    assertThat(head.status()).isEqualTo(200);
    assertThat(stream.awaitText(":connected", WAIT)).isTrue();
    return stream;
  }

  private void post(String path) throws IOException {
    try (RawHttp request = RawHttp.connect(port)) {
      request.send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
      assertThat(request.readHead(WAIT).status()).isEqualTo(200);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
