package com.volcstudio.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 19's other outage: nothing listens where the service was, so every call is refused, until
 * it is back on the same address. No task may fail; the circuit opens and closes by itself. The app
 * runs in live mode against an emulator of the test's own, stopped and started again.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "VOLC_OUTAGE_PROBE=1s",
      "VOLC_QPS=50",
      "VOLC_CONCURRENCY=4",
      "MAX_CONCURRENT_TASKS=4",
      "test.context=refused-connections"
    })
class RefusedConnectionsOutageTests {

  private static VolcEmulator emulator = VolcEmulator.start(settings(0));

  @LocalServerPort int port;

  private static EmulatorSettings settings(int port) {
    return EmulatorSettings.loopback(
        port,
        EmulatorSettings.DEFAULT_ACCESS_KEY,
        EmulatorSettings.DEFAULT_SECRET_KEY,
        Duration.ofMillis(100));
  }

  @DynamicPropertySource
  static void live(DynamicPropertyRegistry registry) {
    registry.add("VOLC_ENDPOINT", () -> emulator.endpoint().toString());
    registry.add("VOLC_ACCESS_KEY", () -> emulator.settings().accessKey());
    registry.add("VOLC_SECRET_KEY", () -> emulator.settings().secretKey());
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void tasksWaitWhileTheServiceRefusesConnectionsAndFinishOnceItIsBack() throws Exception {
    Api app = new Api(URI.create("http://127.0.0.1:" + port));
    int servicePort = emulator.endpoint().getPort();
    emulator.close();

    // Synchronous tasks: a restarted emulator no longer knows an asynchronous job submitted before.
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(
          app.submit(
              Map.of(
                  "prompt",
                  "refused #" + i,
                  "model",
                  "general_v2.0",
                  "width",
                  512,
                  "height",
                  512)));
    }
    JsonNode outage = OutageTests.awaitOutages(app, true, Duration.ofSeconds(30)).get(0);
    assertThat(outage.path("provider").asString()).isEqualTo("visual");
    Thread.sleep(3000);
    for (String id : ids) {
      assertThat(app.task(id).path("status").asString()).isIn("pending", "running");
    }

    emulator = VolcEmulator.start(settings(servicePort));
    Map<String, JsonNode> finished = CrashRecoveryTests.awaitAll(app, ids, Duration.ofSeconds(60));
    for (JsonNode task : finished.values()) {
      assertThat(task.path("status").asString()).as(task.toString()).isEqualTo("completed");
    }
    assertThat(OutageTests.awaitOutages(app, false, Duration.ofSeconds(5))).isEmpty();
  }
}
