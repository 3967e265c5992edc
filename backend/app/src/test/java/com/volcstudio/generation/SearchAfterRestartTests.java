package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The prompt index is memory only: the next start on the same DATA_DIR reads it from the table in
 * the background, and searches use it once it is read. (A kill -9 leaves nothing else behind.)
 */
class SearchAfterRestartTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Test
  void aTaskFromThePreviousRunIsFoundThroughTheIndexAfterARestart() throws Exception {
    Path dataDir =
        Files.createDirectories(Path.of("target/test-data")).resolve("search-" + System.nanoTime());
    String taskId;
    try (ConfigurableApplicationContext first = StudioRun.start(dataDir, "50ms")) {
      taskId =
          (String)
              WebClient.create(StudioRun.baseUrl(first))
                  .post()
                  .uri("/api/v1/generate")
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(Map.of("prompt", "旧日的 Marmalodon", "width", 512, "height", 512))
                  .retrieve()
                  .bodyToMono(JSON)
                  .block()
                  .get("task_id");
    }
    try (ConfigurableApplicationContext second = StudioRun.start(dataDir, "50ms")) {
      PromptIndex index = second.getBean(PromptIndex.class);
      TaskFilter filter = new TaskFilter(List.of(), null, "marmalodon", false);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      List<String> candidates = index.narrow(filter).block().among();
      while (candidates == null && System.nanoTime() < deadline) {
        Thread.sleep(20);
        candidates = index.narrow(filter).block().among();
      }
      assertThat(candidates).containsExactly(taskId);

      Map<String, Object> page =
          WebClient.create(StudioRun.baseUrl(second))
              .get()
              .uri("/api/v1/history?q=MARMALODON&status=pending,running,completed,failed")
              .retrieve()
              .bodyToMono(JSON)
              .block();
      assertThat(TaskPolling.taskIds(page)).containsExactly(taskId);
    }
  }
}
