package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.config.StudioProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * An image that cannot be written under DATA_DIR fails its task with a reason the user can act on,
 * leaves no partial file, and the app keeps serving; once the directory is fixed, Retry completes.
 * (A full disk takes the same path with STORAGE_FULL, see image.StorageFailureTests: a real one
 * cannot be made here.)
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "DEMO_LATENCY=50ms"})
@AutoConfigureWebTestClient
class StorageFailureTests {

  @Autowired WebTestClient http;
  @Autowired StudioProperties properties;

  @Test
  void anUnwritableImageDirectoryFailsTheTaskWithAClearReasonAndRetryWorksOnceFixed()
      throws IOException {
    // Running as root ignores permission bits, so the directory is made unwritable the way that
    // works for everyone: a plain file stands where the directory must be.
    Path images = properties.imagesDir();
    deleteTree(images);
    Files.writeString(images, "not a directory");

    Map<String, Object> task =
        TaskPolling.submit(
            http, Map.of("prompt", "a lighthouse that cannot be stored", "model", "general_v2.0"));
    String id = (String) task.get("task_id");
    Map<String, Object> failed = TaskPolling.awaitTerminal(http, id);

    assertThat(failed).containsEntry("status", "failed");
    @SuppressWarnings("unchecked")
    Map<String, Object> error = (Map<String, Object>) failed.get("error");
    assertThat(error)
        .containsEntry("code", "STORAGE_NOT_WRITABLE")
        .containsEntry("retryable", true);
    assertThat((String) error.get("message_en")).contains("DATA_DIR");
    assertThat((String) error.get("message_zh")).contains("DATA_DIR");
    assertThat(TaskPolling.images(failed)).isEmpty();
    http.get().uri("/api/v1/history").exchange().expectStatus().isOk();
    http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    assertThat(leftovers()).as("temporary or partial files under DATA_DIR").isEmpty();

    Files.delete(images);
    Files.createDirectories(images);
    http.post().uri("/api/v1/task/{id}/retry", id).exchange().expectStatus().is2xxSuccessful();
    Map<String, Object> retried = TaskPolling.awaitTerminal(http, id);
    assertThat(retried).containsEntry("status", "completed");
    assertThat(TaskPolling.images(retried)).hasSize(1);
    // The thumbnail is made after the task completes; asked for, it is answered once written (a
    // check before that met its temporary file on the way to its place).
    http.get()
        .uri((String) TaskPolling.images(retried).get(0).get("thumbnail_url"))
        .exchange()
        .expectStatus()
        .isOk();
    assertThat(leftovers()).isEmpty();
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> files = Files.walk(properties.dataDir())) {
      return files.filter(path -> path.getFileName().toString().startsWith(".incoming-")).toList();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(path);
      }
    }
  }
}
