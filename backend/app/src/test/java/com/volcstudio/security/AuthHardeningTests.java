package com.volcstudio.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;

/**
 * Login on: event streams end with the session they were opened with, a user's streams are capped
 * whatever address they come from, health details are for the logged-in user, and what anonymous or
 * broken requests send is refused early and cleanly. Sessions last 5 s here, so an expiry can be
 * watched.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=50ms",
      "APP_AUTH_USERNAME=admin",
      "APP_AUTH_PASSWORD=open sesame 42",
      "APP_SESSION_TIMEOUT=5s",
      "EVENTS_MAX_STREAMS_PER_CLIENT=20"
    })
@AutoConfigureWebTestClient
class AuthHardeningTests {

  static final String USER = "admin";
  static final String PASSWORD = "open sesame 42";
  static final String BASIC =
      "Basic "
          + Base64.getEncoder()
              .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  static final Duration WAIT = Duration.ofSeconds(10);

  @Autowired WebTestClient http;
  @Autowired EventStreams streams;
  @LocalServerPort int port;

  /** A session: its cookie and its CSRF token. */
  record Session(String id, String xsrf) {}

  /** An open stream, what it has received, and whether (and when) it has ended. */
  record Listening(
      List<ServerSentEvent<String>> events,
      CompletableFuture<Long> ended,
      Disposable subscription) {}

  @Test
  void loggingOutEndsTheSessionsEventStreams() throws Exception {
    Session session = login();
    Listening stream = listen(r -> r.cookie("SESSION", session.id()));
    assertThat(stream.ended()).isNotDone();

    long loggedOut = System.nanoTime();
    http.post()
        .uri("/api/v1/auth/logout")
        .cookie("SESSION", session.id())
        .cookie("XSRF-TOKEN", session.xsrf())
        .header("X-XSRF-TOKEN", session.xsrf())
        .exchange()
        .expectStatus()
        .isNoContent();

    long endedAt = stream.ended().get(3, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(endedAt - loggedOut))
        .as("ended soon after the logout, long before the 5 s expiry")
        .isLessThan(Duration.ofMillis(2_500));
    int received = stream.events().size();
    submitWithBasic("after the logout");
    Thread.sleep(1_000);
    assertThat(stream.events()).hasSize(received);
  }

  @Test
  void anExpiredSessionEndsItsEventStream() throws Exception {
    Session session = login();
    long opened = System.nanoTime();
    Listening stream = listen(r -> r.cookie("SESSION", session.id()));
    Thread.sleep(2_500);
    assertThat(stream.ended()).as("still open while the session lasts").isNotDone();

    long endedAt = stream.ended().get(10, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(endedAt - opened)).isGreaterThan(Duration.ofSeconds(4));
  }

  @Test
  void aBasicStreamIsNotEndedByALogout() throws Exception {
    Listening stream = listen(r -> r.header("Authorization", BASIC));
    try {
      Session session = login();
      http.post()
          .uri("/api/v1/auth/logout")
          .cookie("SESSION", session.id())
          .cookie("XSRF-TOKEN", session.xsrf())
          .header("X-XSRF-TOKEN", session.xsrf())
          .exchange()
          .expectStatus()
          .isNoContent();
      Thread.sleep(2_500);
      assertThat(stream.ended()).isNotDone();

      basicPost("/api/v1/queue/pause");
      basicPost("/api/v1/queue/resume");
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline
          && stream.events().stream().noneMatch(e -> "queue.changed".equals(e.event()))) {
        Thread.sleep(100);
      }
      assertThat(stream.events()).extracting(ServerSentEvent::event).contains("queue.changed");
    } finally {
      stream.subscription().dispose();
    }
  }

  @Test
  void aUsersTwentyFirstEventStreamIsRefusedWhateverAddressItComesFrom() throws Exception {
    awaitNoOpenStreams();
    List<RawHttp> open = new ArrayList<>();
    try {
      for (int i = 1; i <= 20; i++) {
        RawHttp stream = RawHttp.connect(port);
        open.add(stream);
        stream.send(
            RawHttp.eventStreamRequest(
                "/api/v1/events",
                "Authorization: " + BASIC + "\r\nX-Forwarded-For: 192.0.2." + i + "\r\n"));
        assertThat(stream.readHead(WAIT).status()).isEqualTo(200);
        assertThat(stream.awaitText(":connected", WAIT)).isTrue();
      }
      try (RawHttp refused = RawHttp.connect(port)) {
        refused.send(
            RawHttp.eventStreamRequest(
                "/api/v1/events",
                "Authorization: " + BASIC + "\r\nX-Forwarded-For: 192.0.2.99\r\n"));
        RawHttp.Head head = refused.readHead(WAIT);
        assertThat(head.status()).isEqualTo(429);
        assertThat(head.header("content-type")).startsWith("application/problem+json");
        assertThat(head.header("retry-after")).matches("[1-9][0-9]*");
      }
      for (RawHttp stream : open) {
        assertThat(stream.staysOpenFor(Duration.ofMillis(50))).isTrue();
      }
    } finally {
      for (RawHttp stream : open) {
        stream.close();
      }
    }
  }

  @Test
  void healthDetailsAreShownToTheLoggedInUserOnly() {
    http.get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP")
        .jsonPath("$.components")
        .doesNotExist();
    http.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.components")
        .doesNotExist();
    http.get()
        .uri("/actuator/health")
        .header("Authorization", BASIC)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.components.storage.details.path")
        .exists();
  }

  @Test
  void aNonAsciiIdempotencyKeyIsABadRequestNamingTheHeader() throws IOException {
    byte[] body = "{\"prompt\":\"a lighthouse at dusk\"}".getBytes(StandardCharsets.UTF_8);
    try (RawHttp request = RawHttp.connect(port)) {
      request.send(
          "POST /api/v1/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
              + BASIC
              + "\r\nContent-Type: application/json\r\nIdempotency-Key: ключ-1\r\nContent-Length: "
              + body.length
              + "\r\n\r\n");
      request.send(body);
      RawHttp.Head head = request.readHead(WAIT);
      assertThat(head.status()).isEqualTo(400);
      assertThat(head.header("content-type")).startsWith("application/problem+json");
      assertThat(request.readBody(head)).contains("Idempotency-Key");
    }
  }

  @Test
  void anAnonymousUploadIsRefusedBeforeItsBodyIsRead() throws IOException {
    long declared = 50L * 1024 * 1024;
    try (RawHttp upload = RawHttp.connect(port)) {
      upload.send(
          "POST /api/v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: multipart/form-data; boundary=b0undary\r\nContent-Length: "
              + declared
              + "\r\n\r\n--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
              + "Content-Type: image/png\r\n\r\n");
      upload.send(new byte[64 * 1024]);
      // 64 KB of 50 MB sent: the answer must not wait for the rest.
      RawHttp.Head head = upload.readHead(Duration.ofSeconds(5));
      assertThat(head.status()).isEqualTo(401);
      assertThat(head.header("content-type")).startsWith("application/problem+json");
    }
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void aLoginBodyCutOffHalfwayIsNotLoggedAsAnError(CapturedOutput output) throws Exception {
    try (RawHttp login = RawHttp.connect(port)) {
      login.send(
          "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Content-Length: 200\r\n\r\n{\"username\":\"admin\",\"pass");
      Thread.sleep(300);
    }
    Thread.sleep(1_500);
    // A request the server can still answer is logged as before (the control that logging works).
    http.get().uri("/api/v1/tasks").exchange().expectStatus().isUnauthorized();
    assertThat(output.getAll()).doesNotContain(" ERROR ").doesNotContain("\tat ");
  }

  private Session login() {
    EntityExchangeResult<byte[]> login =
        http.post()
            .uri("/api/v1/auth/login")
            .bodyValue(Map.of("username", USER, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult();
    ResponseCookie session = login.getResponseCookies().getFirst("SESSION");
    ResponseCookie xsrf = login.getResponseCookies().getFirst("XSRF-TOKEN");
    assertThat(session).isNotNull();
    assertThat(xsrf).isNotNull();
    return new Session(session.getValue(), xsrf.getValue());
  }

  /** Opens {@code /api/v1/events} with the given credentials and waits for its first comment. */
  private Listening listen(UnaryOperator<WebTestClient.RequestHeadersSpec<?>> credentials)
      throws InterruptedException {
    List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Long> ended = new CompletableFuture<>();
    CountDownLatch connected = new CountDownLatch(1);
    WebTestClient.RequestHeadersSpec<?> request =
        http.mutate()
            .responseTimeout(Duration.ofSeconds(60))
            .build()
            .get()
            .uri("/api/v1/events")
            .accept(MediaType.TEXT_EVENT_STREAM);
    Disposable subscription =
        credentials
            .apply(request)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
            .getResponseBody()
            .subscribe(
                event -> {
                  connected.countDown();
                  if (event.event() != null) {
                    events.add(event);
                  }
                },
                ended::completeExceptionally,
                () -> ended.complete(System.nanoTime()));
    assertThat(connected.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("connected").isTrue();
    return new Listening(events, ended, subscription);
  }

  private void submitWithBasic(String prompt) {
    http.post()
        .uri("/api/v1/generate")
        .header("Authorization", BASIC)
        .bodyValue(Map.of("prompt", prompt, "width", 512, "height", 512))
        .exchange()
        .expectStatus()
        .isAccepted();
  }

  private void basicPost(String path) {
    http.post().uri(path).header("Authorization", BASIC).exchange().expectStatus().isOk();
  }

  /** Streams of earlier tests end when their client goes; the server may notice a moment later. */
  private void awaitNoOpenStreams() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (streams.openBy("user:" + USER) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(streams.openBy("user:" + USER)).isZero();
  }
}
