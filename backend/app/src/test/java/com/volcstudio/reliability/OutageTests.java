package com.volcstudio.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.connection.Providers;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Issue 19's outage: the service answers every call with a 5xx for a while, then recovers. No task
 * may fail; the circuit opens (queue, health and metrics say so) and closes by itself; while it is
 * open only the probes reach the service. The app runs in demo mode against its own emulator, whose
 * control API injects the outage.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=100ms",
      "VOLC_OUTAGE_PROBE=1s",
      "VOLC_QPS=50",
      "VOLC_CONCURRENCY=4",
      "MAX_CONCURRENT_TASKS=6",
      "test.context=outage"
    })
class OutageTests {

  @LocalServerPort int port;
  @Autowired Providers providers;

  @Test
  void tasksWaitOutAnOutageAndFinishWithOnlyProbesSentMeanwhile() throws Exception {
    outage(Duration.ofSeconds(6));
  }

  @Test
  @Tag("soak")
  void tasksWaitOutAMinuteLongOutage() throws Exception {
    outage(Duration.ofSeconds(60));
  }

  private void outage(Duration length) throws Exception {
    Api app = new Api(URI.create("http://127.0.0.1:" + port));
    URI endpoint = providers.current().visual().orElseThrow().endpoint();
    Api emulator = new Api(URI.create(endpoint.toString().replaceAll("/?$", "/")));
    assertThat(
            emulator
                .postJson("/_emulator/faults", Map.of("code", 50500, "probability", 1))
                .status())
        .isEqualTo(201);

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      // Synchronous (CVProcess) and asynchronous (submit, then result queries) tasks alike.
      ids.add(
          app.submit(
              Map.of(
                  "prompt",
                  "outage " + length.toSeconds() + " s #" + i,
                  "model",
                  i % 2 == 0 ? "general_v2.0" : "jimeng_t2i_v3.1",
                  "width",
                  512,
                  "height",
                  512)));
    }

    JsonNode outage = awaitOutages(app, true, Duration.ofSeconds(30)).get(0);
    assertThat(outage.path("provider").asString()).isEqualTo("visual");
    assertThat(outage.path("next_check_at").asString()).isNotEmpty();
    // Degraded, answered 200; still ready, because pages, history and new tasks are served.
    Api.Answer health = app.get("/actuator/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("status").asString()).isEqualTo("DEGRADED");
    assertThat(health.json().path("components").path("upstream").path("details").has("visual"))
        .isTrue();
    assertThat(app.get("/actuator/health/readiness").json().path("status").asString())
        .isEqualTo("UP");
    assertThat(app.get("/actuator/prometheus").body())
        .containsPattern(
            "resilience4j_circuitbreaker_state\\{[^}]*name=\"visual\",state=\"open\"} 1\\.0");

    assertThat(emulator.delete("/_emulator/stats").status()).isEqualTo(204);
    Thread.sleep(length.toMillis());
    JsonNode during = emulator.get("/_emulator/stats").json().path("requests");
    assertThat(during.path("CVProcess").asLong()).as("generations during the outage").isZero();
    assertThat(during.path("CVSync2AsyncSubmitTask").asLong())
        .as("submits during the outage")
        .isZero();
    // Probes at doubling intervals from 1 s: 1, 2, 4, 8, 16, 32, 60 s.
    long probes = during.path("CVSync2AsyncGetResult").asLong();
    long maxProbes = 1 + (long) (Math.log(length.toSeconds() + 1.0) / Math.log(2));
    assertThat(probes).as("result queries (probes) during the outage").isBetween(1L, maxProbes);
    for (String id : ids) {
      assertThat(app.task(id).path("status").asString()).isIn("pending", "running");
    }

    assertThat(emulator.delete("/_emulator/faults").status()).isEqualTo(204);
    Map<String, JsonNode> finished = CrashRecoveryTests.awaitAll(app, ids, length.plusSeconds(60));
    for (JsonNode task : finished.values()) {
      assertThat(task.path("status").asString()).as(task.toString()).isEqualTo("completed");
    }
    assertThat(awaitOutages(app, false, Duration.ofSeconds(5))).isEmpty();
    assertThat(app.get("/actuator/health").json().path("status").asString()).isEqualTo("UP");
    assertThat(app.get("/actuator/prometheus").body())
        .containsPattern(
            "resilience4j_circuitbreaker_state\\{[^}]*name=\"visual\",state=\"closed\"} 1\\.0");
  }

  /** The queue's outages once there are some ({@code present}) or none, within {@code timeout}. */
  static List<JsonNode> awaitOutages(Api app, boolean present, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<JsonNode> outages = new ArrayList<>();
      app.get("/api/v1/queue").json().path("outages").forEach(outages::add);
      if (outages.isEmpty() != present || System.nanoTime() > deadline) {
        return outages;
      }
      Thread.sleep(100);
    }
  }
}
