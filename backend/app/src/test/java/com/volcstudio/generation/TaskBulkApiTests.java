package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.config.StudioProperties;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A task's and a batch's images as a ZIP, bulk deletion from the history, and the created_at range
 * filter.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "DEMO_LATENCY=0ms"})
@AutoConfigureWebTestClient
class TaskBulkApiTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
      new ParameterizedTypeReference<>() {};
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;
  @Autowired StudioProperties properties;

  @Test
  void aTaskZipHoldsItsImagesAndAManifestOfTheirParameters() throws IOException {
    Map<String, Object> task =
        finished(
            Map.of("prompt", "两只小狗", "num_images", 2, "seed", 10, "width", 512, "height", 512));

    byte[] zip =
        http.get()
            .uri("/api/v1/task/{id}/zip", task.get("task_id"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType("application/zip")
            .expectHeader()
            .valueMatches(
                "Content-Disposition", "attachment; filename=\"volc-images-\\d{8}T\\d{6}Z\\.zip\"")
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();

    Map<String, byte[]> entries = unzip(zip);
    assertThat(entries.keySet()).hasSize(3).contains("params.json");
    assertThat(entries.keySet())
        .anyMatch(n -> n.endsWith("_general-v2.0_10_两只小狗.png"))
        .anyMatch(n -> n.endsWith("_general-v2.0_11_两只小狗.png"));
    JsonNode manifest = JSON.readTree(entries.get("params.json"));
    assertThat(manifest.get("images")).hasSize(2);
    for (JsonNode image : manifest.get("images")) {
      assertThat(entries).containsKey(image.get("file").asString());
      assertThat(image.get("parameters").get("task_id").asString()).isEqualTo(task.get("task_id"));
      assertThat(image.get("parameters").get("prompt").asString()).isEqualTo("两只小狗");
    }
  }

  @Test
  void aBatchZipHoldsEveryTasksImagesInSubmissionOrder() throws IOException {
    Map<String, Object> plan =
        http.post()
            .uri("/api/v1/generate/batch")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                Map.of(
                    "prompts",
                    List.of("first cat", "second dog", "third bird"),
                    "width",
                    512,
                    "height",
                    512))
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    for (Object id : (List<?>) plan.get("task_ids")) {
      TaskPolling.awaitTerminal(http, (String) id);
    }

    byte[] zip =
        http.get()
            .uri("/api/v1/batch/{id}/zip", plan.get("batch_id"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();

    JsonNode manifest = JSON.readTree(unzip(zip).get("params.json"));
    List<String> prompts = new ArrayList<>();
    manifest
        .get("images")
        .forEach(image -> prompts.add(image.get("parameters").get("prompt").asString()));
    assertThat(prompts).containsExactly("first cat", "second dog", "third bird");
  }

  @Test
  void zipsOfUnknownTasksOrBatchesOrOfATaskWithoutImagesAreNotFoundProblems() {
    for (String uri :
        List.of(
            "/api/v1/task/" + UUID.randomUUID() + "/zip",
            "/api/v1/batch/" + UUID.randomUUID() + "/zip",
            "/api/v1/task/not-an-id/zip",
            "/api/v1/batch/..%2F..%2Fdb/zip")) {
      http.get()
          .uri(uri)
          .exchange()
          .expectStatus()
          .isNotFound()
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
    Map<String, Object> failed = finished(Map.of("prompt", "__fault_50412__ refused"));
    assertThat(failed).containsEntry("status", "failed");
    http.get()
        .uri("/api/v1/task/{id}/zip", failed.get("task_id"))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.title")
        .isEqualTo("No images");
  }

  @Test
  void bulkDeleteRemovesRowsAndFilesAndSkipsTasksStillWaiting() throws Exception {
    Map<String, Object> one = finished(Map.of("prompt", "bulk delete one"));
    Map<String, Object> two = finished(Map.of("prompt", "bulk delete two"));
    Map<String, Object> kept = finished(Map.of("prompt", "bulk delete kept"));
    http.post().uri("/api/v1/queue/pause").exchange().expectStatus().isOk();
    String waiting;
    try {
      waiting =
          (String) TaskPolling.submit(http, Map.of("prompt", "bulk delete waiting")).get("task_id");
      String unknown = UUID.randomUUID().toString();

      http.post()
          .uri("/api/v1/history/delete")
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(
              Map.of(
                  "task_ids",
                  List.of(
                      one.get("task_id"),
                      two.get("task_id"),
                      waiting,
                      unknown,
                      one.get("task_id"))))
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .json("{\"deleted\": 2, \"skipped\": [\"" + waiting + "\"]}", true);
    } finally {
      http.post().uri("/api/v1/queue/resume").exchange().expectStatus().isOk();
    }

    for (Map<String, Object> task : List.of(one, two)) {
      http.get()
          .uri("/api/v1/task/{id}", task.get("task_id"))
          .exchange()
          .expectStatus()
          .isNotFound();
      String imageId = (String) TaskPolling.images(task).get(0).get("image_id");
      assertThat(properties.imagesDir().resolve(imageId + ".png")).doesNotExist();
      assertThat(properties.thumbnailsDir().resolve(imageId + ".jpg")).doesNotExist();
    }
    String keptImage = (String) TaskPolling.images(kept).get(0).get("image_id");
    assertThat(properties.imagesDir().resolve(keptImage + ".png")).exists();
    http.get().uri("/api/v1/task/{id}", waiting).exchange().expectStatus().isOk();
  }

  @Test
  void bulkDeleteRefusesAnEmptyOversizedOrMalformedListAndDeletesNothing() {
    Map<String, Object> task = finished(Map.of("prompt", "survives bad deletes"));
    String id = (String) task.get("task_id");
    expectDeleteError(Map.of("task_ids", List.of()), "task_ids");
    expectDeleteError(Map.of(), "task_ids");
    expectDeleteError(Map.of("task_ids", Collections.nCopies(501, id)), "task_ids");
    expectDeleteError(Map.of("task_ids", List.of(id, "' OR 1=1 --")), "task_ids[1]");
    expectDeleteError(Map.of("task_ids", id), "task_ids");
    http.get().uri("/api/v1/task/{id}", id).exchange().expectStatus().isOk();
  }

  @Test
  void historyAndTaskListsFilterByCreationTime() {
    String marker = "range-" + UUID.randomUUID();
    List<String> ids = new ArrayList<>();
    for (String at :
        List.of("2020-01-01T10:00:00Z", "2020-01-02T10:00:00Z", "2020-01-03T10:00:00Z")) {
      String id = (String) finished(Map.of("prompt", marker + " " + at)).get("task_id");
      db.sql("UPDATE generation_task SET created_at = :at WHERE id = :id")
          .bind("at", Instant.parse(at).atOffset(java.time.ZoneOffset.UTC))
          .bind("id", id)
          .then()
          .block();
      ids.add(id);
    }

    http.get()
        .uri("/api/v1/history?q={q}&from=2020-01-02T00:00:00Z&to=2020-01-03T10:00:00Z", marker)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.total")
        .isEqualTo(1)
        .jsonPath("$.items[0].task_id")
        .isEqualTo(ids.get(1));
    http.get()
        .uri("/api/v1/history?q={q}&from=2020-01-02", marker)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.total")
        .isEqualTo(2);
    http.get()
        .uri("/api/v1/history?q={q}&to={to}", marker, "2020-01-02T12:00:00+08:00")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.total")
        .isEqualTo(1)
        .jsonPath("$.items[0].task_id")
        .isEqualTo(ids.get(0));
    http.get()
        .uri("/api/v1/tasks?from=2020-01-01T00:00:00Z&to=2020-01-03T00:00:00Z")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items.length()")
        .isEqualTo(2)
        .jsonPath("$.items[0].task_id")
        .isEqualTo(ids.get(1));

    expectQueryError("/api/v1/history?from=yesterday", "from");
    expectQueryError("/api/v1/history?to=2020-13-01", "to");
    expectQueryError("/api/v1/history?from=2020-01-03&to=2020-01-02", "to");
    expectQueryError("/api/v1/tasks?from=2020-01-03T00:00:00", "from");
  }

  private void expectDeleteError(Object body, String field) {
    http.post()
        .uri("/api/v1/history/delete")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.errors[?(@.field == '" + field + "')].reason")
        .isNotEmpty();
  }

  private void expectQueryError(String uri, String field) {
    http.get()
        .uri(uri)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.errors[?(@.field == '" + field + "')].reason")
        .isNotEmpty();
  }

  private Map<String, Object> finished(Map<String, Object> body) {
    return TaskPolling.awaitTerminal(http, (String) TaskPolling.submit(http, body).get("task_id"));
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in =
        new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.put(entry.getName(), in.readAllBytes());
      }
    }
    return entries;
  }
}
