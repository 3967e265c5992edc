package com.volcstudio.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.database.PostgresServer;
import com.volcstudio.emulator.VolcEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Events from any replica (issue 18), on one PostgreSQL database and one Redis: a client connected
 * to one replica hears every task event, whichever replica ran the task, in one order; it resumes
 * with Last-Event-ID on the other replica and gets exactly what it had not seen; an id older than
 * the replica's buffer gets a resync.
 */
class EventsAcrossReplicasTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};
  private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT =
      new ParameterizedTypeReference<>() {};
  private static final int TASKS = 4;

  @Test
  void everyReplicasEventsReachAClientOnEitherInOneOrderAndItResumesOnTheOther() throws Exception {
    try (PostgresServer postgres = PostgresServer.start("events");
        RedisServer redis = RedisServer.start();
        VolcEmulator emulator = Replica.emulator(Duration.ofMillis(300));
        ConfigurableApplicationContext a = start(postgres, redis, emulator);
        ConfigurableApplicationContext b = start(postgres, redis, emulator)) {
      WebClient onA = Replica.client(a);
      WebClient onB = Replica.client(b);

      List<ServerSentEvent<Map<String, Object>>> seenOnB = new CopyOnWriteArrayList<>();
      Disposable listening = events(onB, null).subscribe(seenOnB::add);
      Thread.sleep(300);
      for (int i = 0; i < TASKS; i++) {
        // Submitted to A; each replica runs one at a time, so both run some.
        onA.post()
            .uri("/api/v1/generate")
            .bodyValue(Map.of("prompt", "events " + i, "model", "general_v2.0_pro"))
            .retrieve()
            .toBodilessEntity()
            .block();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (count(seenOnB, "task.completed") < TASKS) {
        assertThat(System.nanoTime()).as("B heard every task complete").isLessThan(deadline);
        Thread.sleep(50);
      }
      listening.dispose();

      List<ServerSentEvent<Map<String, Object>>> numbered =
          seenOnB.stream().filter(e -> e.id() != null).toList();
      List<Long> ids = numbered.stream().map(e -> Long.parseLong(e.id())).toList();
      assertThat(ids).as("ids strictly growing").isSorted().doesNotHaveDuplicates();
      assertThat(count(numbered, "task.created")).isEqualTo(TASKS);
      List<String> claimedBy = claimers(postgres);
      assertThat(claimedBy).as("tasks ran on both replicas").hasSize(2);

      // Resumed on A after the third event: exactly the rest, in the same order, same ids.
      String resumeAfter = numbered.get(2).id();
      List<String> expected =
          numbered.subList(3, numbered.size()).stream().map(e -> e.id()).toList();
      List<String> resumed =
          events(onA, resumeAfter)
              .filter(e -> e.id() != null)
              .map(ServerSentEvent::id)
              .take(expected.size())
              .collectList()
              .block(Duration.ofSeconds(10));
      assertThat(resumed).isEqualTo(expected);

      // A resumed stream also carries the state events each replica announces for itself (no id):
      // a pause made through B is queue.changed on A.
      var resumedQueue =
          events(onA, numbered.get(numbered.size() - 1).id())
              .filter(e -> "queue.changed".equals(e.event()))
              .filter(e -> Boolean.TRUE.equals(e.data().get("paused")))
              .next()
              .toFuture();
      Thread.sleep(300); // the stream is open
      onB.post().uri("/api/v1/queue/pause").retrieve().toBodilessEntity().block();
      assertThat(resumedQueue.get(10, java.util.concurrent.TimeUnit.SECONDS).id()).isNull();
      onB.post().uri("/api/v1/queue/resume").retrieve().toBodilessEntity().block();

      // An id from before anything this replica holds: reload.
      ServerSentEvent<Map<String, Object>> first =
          events(onA, "1").filter(e -> e.event() != null).blockFirst(Duration.ofSeconds(10));
      assertThat(first.event()).isEqualTo("resync");

      // Every image, whichever replica stored it, is read through either: whole, by Range, zipped.
      List<String> imageIds = imageIds(onA);
      assertThat(imageIds).hasSize(TASKS);
      for (String imageId : imageIds) {
        byte[] whole = image(onA, imageId, null);
        assertThat(image(onB, imageId, null)).isEqualTo(whole);
        assertThat(image(onB, imageId, "bytes=100-199"))
            .isEqualTo(java.util.Arrays.copyOfRange(whole, 100, 200));
      }
      byte[] zip =
          onB.post()
              .uri("/api/v1/images/zip")
              .bodyValue(Map.of("image_ids", imageIds))
              .retrieve()
              .bodyToMono(byte[].class)
              .block();
      int entries = 0;
      try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
        while (in.getNextEntry() != null) {
          entries++;
        }
      }
      assertThat(entries).as("the images and the manifest").isEqualTo(TASKS + 1);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> imageIds(WebClient http) {
    Map<String, Object> page =
        http.get().uri("/api/v1/history?limit=50").retrieve().bodyToMono(JSON).block();
    return ((List<Map<String, Object>>) page.get("items"))
        .stream()
            .flatMap(task -> ((List<Map<String, Object>>) task.get("images")).stream())
            .map(image -> (String) image.get("image_id"))
            .toList();
  }

  private static byte[] image(WebClient http, String imageId, String range) {
    return http.get()
        .uri("/api/v1/images/{id}", imageId)
        .headers(
            h -> {
              if (range != null) {
                h.set("Range", range);
              }
            })
        .retrieve()
        .bodyToMono(byte[].class)
        .block();
  }

  private static List<String> claimers(PostgresServer postgres) throws Exception {
    try (var db = postgres.connect("events");
        var rows =
            db.createStatement()
                .executeQuery(
                    "SELECT DISTINCT claimed_by FROM generation_task WHERE claimed_by IS NOT NULL")) {
      List<String> holders = new java.util.ArrayList<>();
      while (rows.next()) {
        holders.add(rows.getString(1));
      }
      return holders;
    }
  }

  private static long count(List<ServerSentEvent<Map<String, Object>>> events, String type) {
    return events.stream().filter(e -> type.equals(e.event())).count();
  }

  private static Flux<ServerSentEvent<Map<String, Object>>> events(
      WebClient http, String lastEventId) {
    return http.get()
        .uri("/api/v1/events")
        .headers(
            h -> {
              if (lastEventId != null) {
                h.set("Last-Event-ID", lastEventId);
              }
            })
        .retrieve()
        .bodyToFlux(EVENT);
  }

  private static ConfigurableApplicationContext start(
      PostgresServer postgres, RedisServer redis, VolcEmulator emulator) {
    return Replica.of()
        .cluster(postgres, "events", redis)
        .live(emulator)
        .with("MAX_CONCURRENT_TASKS=1", "TASK_CLAIM_POLL=200ms")
        .start();
  }
}
