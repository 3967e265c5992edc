package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** {@code queue.changed} and {@code usage.changed} on {@code /api/v1/events}. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=100ms",
      "MAX_CONCURRENT_TASKS=1",
      "MONTHLY_IMAGE_QUOTA=77"
    })
@AutoConfigureWebTestClient
class QueueAndUsageEventsTests {

  @Autowired WebTestClient http;

  @Test
  void pauseSubmitsAndResumeAreAnnouncedWithTheQueuesCountsAndTheFinalStateLast() {
    CountDownLatch connected = new CountDownLatch(1);
    Flux<ServerSentEvent<Map<String, Object>>> queueEvents =
        listen(connected).filter(e -> "queue.changed".equals(e.event()));

    StepVerifier.create(queueEvents)
        .then(
            () -> {
              await(connected);
              http.post().uri("/api/v1/queue/pause").exchange().expectStatus().isOk();
            })
        // The other test's task may still be announced first.
        .thenConsumeWhile(e -> !Boolean.TRUE.equals(e.data().get("paused")))
        .expectNextMatches(
            e -> e.data().get("waiting").equals(0) && e.data().get("concurrency").equals(1))
        .then(
            () ->
                List.of("one", "two", "three")
                    .forEach(
                        prompt ->
                            TaskPolling.submit(
                                http, Map.of("prompt", prompt, "width", 512, "height", 512))))
        // Three submits inside one interval: coalesced, and the last event has all three waiting.
        .thenConsumeWhile(
            e -> !e.data().get("waiting").equals(3),
            e -> assertThat(e.data()).containsEntry("paused", true))
        .expectNextMatches(e -> e.data().equals(idleSummary(3, true)))
        .then(() -> http.post().uri("/api/v1/queue/resume").exchange().expectStatus().isOk())
        .thenConsumeWhile(
            e -> !(e.data().get("waiting").equals(0) && e.data().get("running").equals(0)),
            e -> assertThat(e.data()).containsEntry("paused", false))
        .expectNextMatches(e -> e.data().equals(idleSummary(0, false)))
        .thenCancel()
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void aStoredImageAnnouncesThisMonthsImagesAndTheQuota() throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    var usage = listen(connected).filter(e -> "usage.changed".equals(e.event())).next().toFuture();
    await(connected);
    TaskPolling.submit(http, Map.of("prompt", "count me", "width", 512, "height", 512));

    ServerSentEvent<Map<String, Object>> event = usage.get(30, TimeUnit.SECONDS);
    assertThat(event.id()).isNotBlank();
    assertThat(((Number) event.data().get("used")).longValue()).isPositive();
    assertThat(event.data()).containsEntry("limit", 77);
  }

  /** queue.changed with nothing running, one slot and no provider unreachable. */
  private static Map<String, Object> idleSummary(int waiting, boolean paused) {
    return Map.of(
        "waiting", waiting, "running", 0, "concurrency", 1, "paused", paused, "outages", List.of());
  }

  private Flux<ServerSentEvent<Map<String, Object>>> listen(CountDownLatch connected) {
    return http.mutate()
        .responseTimeout(Duration.ofSeconds(30))
        .build()
        .get()
        .uri("/api/v1/events")
        .accept(MediaType.TEXT_EVENT_STREAM)
        .exchange()
        .expectStatus()
        .isOk()
        .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {})
        .getResponseBody()
        .doOnNext(e -> connected.countDown())
        .filter(e -> e.event() != null);
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).as("stream connected").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
