package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/** The UI's single stream, {@code GET /api/v1/events}, and resuming it with Last-Event-ID. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "DEMO_LATENCY=50ms"})
@AutoConfigureWebTestClient
class EventStreamTests {

  @Autowired WebTestClient http;

  @Test
  void streamsEveryTaskEventWithIncreasingIds() {
    CountDownLatch connected = new CountDownLatch(1);
    AtomicReference<String> ours = new AtomicReference<>();
    // Other tests share this application context, so the stream may carry their tasks' events too.
    var result =
        listen(null, connected)
            .takeUntil(
                e ->
                    "task.completed".equals(e.event())
                        && e.data().get("task_id").equals(ours.get()))
            .collectList()
            .toFuture();
    await(connected);
    String taskId =
        (String)
            TaskPolling.submit(
                    http, Map.of("prompt", "events for all", "width", 512, "height", 512))
                .get("task_id");
    ours.set(taskId);
    List<ServerSentEvent<Map<String, Object>>> events =
        result.join().stream().filter(e -> taskId.equals(e.data().get("task_id"))).toList();

    assertThat(events)
        .extracting(ServerSentEvent::event)
        .startsWith("task.created")
        .endsWith("task.completed");
    assertThat(events).allSatisfy(e -> assertThat(e.data()).containsEntry("task_id", taskId));
    List<Long> ids = events.stream().map(e -> Long.parseLong(e.id())).toList();
    assertThat(ids).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void resumesAfterLastEventIdWithoutGapsOrDuplicates() {
    CountDownLatch connected = new CountDownLatch(1);
    var first =
        listen(null, connected)
            .takeUntil(e -> "task.completed".equals(e.event()))
            .collectList()
            .toFuture();
    await(connected);
    TaskPolling.submit(http, Map.of("prompt", "resume the stream", "width", 512, "height", 512));
    List<ServerSentEvent<Map<String, Object>>> all = first.join();
    ServerSentEvent<Map<String, Object>> afterFirst = all.get(0);

    List<ServerSentEvent<Map<String, Object>>> resumed =
        listen(afterFirst.id(), new CountDownLatch(1))
            .takeUntil(e -> "task.completed".equals(e.event()))
            .collectList()
            .block(Duration.ofSeconds(20));
    assertThat(resumed)
        .extracting(ServerSentEvent::id)
        .containsExactlyElementsOf(
            all.subList(1, all.size()).stream().map(ServerSentEvent::id).toList());
  }

  @Test
  void aTooOldLastEventIdAsksTheClientToResync() {
    TaskPolling.awaitTerminal(
        http,
        (String)
            TaskPolling.submit(
                    http, Map.of("prompt", "something happened", "width", 512, "height", 512))
                .get("task_id"));
    ServerSentEvent<Map<String, Object>> first =
        listen("1", new CountDownLatch(1)).blockFirst(Duration.ofSeconds(10));
    assertThat(first.event()).isEqualTo("resync");
  }

  /** The stream's named events; {@code connected} opens when its first comment arrives. */
  private Flux<ServerSentEvent<Map<String, Object>>> listen(
      String lastEventId, CountDownLatch connected) {
    return http.mutate()
        .responseTimeout(Duration.ofSeconds(30))
        .build()
        .get()
        .uri("/api/v1/events")
        .accept(MediaType.TEXT_EVENT_STREAM)
        .headers(
            h -> {
              if (lastEventId != null) {
                h.set("Last-Event-ID", lastEventId);
              }
            })
        .exchange()
        .expectStatus()
        .isOk()
        // Written as bytes, not by Spring's SSE writer: a browser's EventSource still needs this.
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
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
