package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.StudioApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A task cut short by a stopped app is finished by the next start on the same DATA_DIR, not lost.
 */
class ResumeAfterRestartTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Test
  void aTaskLeftRunningIsCompletedAfterARestart() throws Exception {
    Path dataDir =
        Files.createDirectories(Path.of("target/test-data")).resolve("resume-" + System.nanoTime());
    String taskId;
    // First run: the emulator takes far longer than we wait, so the app stops mid-generation.
    try (ConfigurableApplicationContext first = start(dataDir, "30s")) {
      WebClient http = client(first);
      taskId =
          (String)
              http.post()
                  .uri("/api/v1/generate")
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(Map.of("prompt", "resume me", "width", 512, "height", 512))
                  .retrieve()
                  .bodyToMono(JSON)
                  .block()
                  .get("task_id");
      awaitStatus(http, taskId, "running", Duration.ofSeconds(20));
    }
    try (ConfigurableApplicationContext second = start(dataDir, "50ms")) {
      Map<String, Object> task =
          awaitStatus(client(second), taskId, "completed", Duration.ofSeconds(30));
      assertThat((List<?>) task.get("images")).hasSize(1);
      assertThat(task.get("attempts")).isEqualTo(2);
    }
  }

  private static ConfigurableApplicationContext start(Path dataDir, String latency) {
    return new SpringApplicationBuilder(StudioApplication.class)
        .properties("DATA_DIR=" + dataDir, "DEMO_LATENCY=" + latency, "APP_PORT=0")
        .run();
  }

  private static WebClient client(ConfigurableApplicationContext context) {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return WebClient.create("http://127.0.0.1:" + port);
  }

  private static Map<String, Object> awaitStatus(
      WebClient http, String taskId, String status, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    Map<String, Object> task = Map.of();
    while (System.nanoTime() < deadline) {
      task = http.get().uri("/api/v1/task/{id}", taskId).retrieve().bodyToMono(JSON).block();
      if (status.equals(task.get("status"))) {
        return task;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("task " + taskId + " never reached " + status + "; last seen " + task);
  }
}
