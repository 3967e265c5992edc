package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.connection.Providers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seedream's image sets end to end in demo mode: {@code sequential: true} asks Ark for a streamed
 * set, and each image is stored and announced as its event arrives; an image moderated alone is
 * noted while the others complete; a stream cut midway keeps what came and asks only for the rest.
 */
@SharedDemoStudio
class ImageSetTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient client = HttpClient.newHttpClient();

  @Autowired WebTestClient http;
  @Autowired Providers providers;
  @Autowired ApplicationContext context;

  @Test
  void aSetIsStoredAndAnnouncedImageByImageAsTheStreamDeliversIt() {
    List<String> published = new CopyOnWriteArrayList<>();
    Disposable tap = EventTap.published(context).subscribe(published::add);
    try {
      String taskId = submit("一组四季的插画 set-by-image", 3);

      Map<String, Object> task = TaskPolling.awaitTerminal(http, taskId);

      assertThat(task.get("status")).isEqualTo("completed");
      assertThat(task.get("sequential")).isEqualTo(true);
      assertThat(TaskPolling.images(task)).hasSize(3);
      assertThat(task.get("error")).isNull();
      // Each image was announced on its own, the task growing by one image each time.
      List<Integer> imagesPerAnnouncement =
          published.stream()
              .map(JSON::readTree)
              .filter(event -> event.path("task_id").asString().equals(taskId))
              .map(event -> event.path("images").size())
              .distinct()
              .toList();
      assertThat(imagesPerAnnouncement).containsSubsequence(1, 2, 3);
    } finally {
      tap.dispose();
    }
  }

  @Test
  void anImageModeratedAloneIsNotedWhileTheOthersComplete() {
    String taskId = submit("三张一组 __fault_50511__", 3);

    Map<String, Object> task = TaskPolling.awaitTerminal(http, taskId);

    assertThat(task.get("status")).isEqualTo("completed");
    assertThat(TaskPolling.images(task)).hasSize(2);
    @SuppressWarnings("unchecked")
    Map<String, Object> note = (Map<String, Object>) task.get("error");
    assertThat(note.get("code")).isEqualTo("OutputImageSensitiveContentDetected");
    assertThat((String) note.get("message_zh")).isNotBlank();
    assertThat((String) note.get("message_en")).isNotBlank();
  }

  @Test
  void aStreamCutMidwayKeepsWhatCameAndAsksOnlyForTheRest() throws Exception {
    URI emulator = URI.create(providers.current().ark().orElseThrow().endpoint().resolve("/") + "");
    send(emulator, "DELETE", "/_emulator/stats", null);
    HttpResponse<String> armed =
        send(
            emulator,
            "POST",
            "/_emulator/faults",
            "{\"code\":\"cut_stream\",\"count\":1,\"action\":\"ArkImagesGenerations\"}");
    assertThat(armed.statusCode()).isEqualTo(201);

    String taskId = submit("被切断又续上的一组", 3);
    Map<String, Object> task = TaskPolling.awaitTerminal(http, taskId);

    assertThat(task.get("status")).as(String.valueOf(task.get("error"))).isEqualTo("completed");
    assertThat(TaskPolling.images(task)).hasSize(3);
    JsonNode stats = JSON.readTree(send(emulator, "GET", "/_emulator/stats", null).body());
    assertThat(stats.path("requests").path("ArkImagesGenerations").asInt()).isEqualTo(2);
    // One image before the cut, then a set of the two missing: nothing painted twice.
    assertThat(stats.path("images_rendered").asInt()).isEqualTo(3);
  }

  @Test
  void aModelThatMakesNoSetsIsRefusedNamingTheField() {
    http.post()
        .uri("/api/v1/generate")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("prompt", "x", "model", "seedream_5.0_pro", "sequential", true))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("sequential");
  }

  private String submit(String prompt, int images) {
    return (String)
        TaskPolling.submit(
                http,
                Map.of(
                    "prompt",
                    prompt,
                    "model",
                    "seedream_4.0",
                    "sequential",
                    true,
                    "num_images",
                    images,
                    "width",
                    1024,
                    "height",
                    1024))
            .get("task_id");
  }

  private HttpResponse<String> send(URI base, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
