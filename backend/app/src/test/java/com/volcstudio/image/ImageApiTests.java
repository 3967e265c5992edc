package com.volcstudio.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.config.StudioProperties;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serving stored images (caching, ranges, names, embedded parameters) and ZIP downloads, over HTTP.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "DEMO_LATENCY=0ms"})
@AutoConfigureWebTestClient
class ImageApiTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
      new ParameterizedTypeReference<>() {};
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;
  @Autowired StudioProperties properties;

  @Test
  void aDownloadedPngTellsHowItWasMadeInAnItxtChunk() throws IOException {
    Map<String, Object> image =
        generate(
            Map.of(
                "prompt",
                "一只可爱的猫咪在阳光下",
                "seed",
                4242,
                "width",
                512,
                "height",
                512,
                "steps",
                20,
                "scale",
                7.5));

    byte[] png =
        http.get()
            .uri((String) image.get("url"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();

    JsonNode parameters = JSON.readTree(pngText(png, ImageMetadata.KEYWORD));
    assertThat(parameters.get("prompt").asString()).isEqualTo("一只可爱的猫咪在阳光下");
    assertThat(parameters.get("negative_prompt").asString()).isEmpty();
    assertThat(parameters.get("steps").asInt()).isEqualTo(20);
    assertThat(parameters.get("scale").asDouble()).isEqualTo(7.5);
    assertThat(parameters.get("model").asString()).isEqualTo("general_v2.0");
    assertThat(parameters.get("seed").asLong()).isEqualTo(4242);
    assertThat(parameters.get("width").asInt()).isEqualTo(512);
    assertThat(parameters.get("task_id").asString()).isEqualTo(image.get("task_id"));
    assertThat(parameters.get("created_at").asString()).endsWith("Z");
    assertThat(ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(512);
  }

  @Test
  void imagesAreCachedForeverByTheBrowserOnlyAndRevalidatedWithTheirEtag() {
    Map<String, Object> image = generate(Map.of("prompt", "caching test"));
    for (String url : List.of((String) image.get("url"), (String) image.get("thumbnail_url"))) {
      EntityExchangeResult<byte[]> first =
          http.get()
              .uri(url)
              .exchange()
              .expectStatus()
              .isOk()
              .expectHeader()
              .cacheControl(
                  org.springframework.http.CacheControl.maxAge(Duration.ofDays(365))
                      .cachePrivate()
                      .immutable())
              .expectHeader()
              .valueEquals(HttpHeaders.ACCEPT_RANGES, "bytes")
              .expectBody(byte[].class)
              .returnResult();
      String etag = first.getResponseHeaders().getETag();
      assertThat(etag).startsWith("\"").contains((String) image.get("image_id"));

      http.get()
          .uri(url)
          .header(HttpHeaders.IF_NONE_MATCH, etag)
          .exchange()
          .expectStatus()
          .isNotModified()
          .expectHeader()
          .valueEquals(HttpHeaders.ETAG, etag)
          .expectBody()
          .isEmpty();
      http.get()
          .uri(url)
          .header(HttpHeaders.IF_NONE_MATCH, "\"something-else\"")
          .exchange()
          .expectStatus()
          .isOk();
    }
  }

  @Test
  void aRangeRequestGetsThosePartialBytes() {
    Map<String, Object> image = generate(Map.of("prompt", "range test"));
    String url = (String) image.get("url");
    byte[] whole =
        http.get().uri(url).exchange().expectBody(byte[].class).returnResult().getResponseBody();

    byte[] part =
        http.get()
            .uri(url)
            .header(HttpHeaders.RANGE, "bytes=100-199")
            .exchange()
            .expectStatus()
            .isEqualTo(206)
            .expectHeader()
            .valueEquals(HttpHeaders.CONTENT_RANGE, "bytes 100-199/" + whole.length)
            .expectHeader()
            .contentType(MediaType.IMAGE_PNG)
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    assertThat(part).isEqualTo(Arrays.copyOfRange(whole, 100, 200));

    http.get()
        .uri(url)
        .header(HttpHeaders.RANGE, "bytes=" + (whole.length + 10) + "-")
        .exchange()
        .expectStatus()
        .isEqualTo(416);
  }

  @Test
  void fileNamesSayWhenWhichModelWhichSeedAndWhat() {
    Map<String, Object> image = generate(Map.of("prompt", "Café au lait, 一杯咖啡!", "seed", 77));
    String inline =
        http.get()
            .uri((String) image.get("url"))
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(byte[].class)
            .getResponseHeaders()
            .getFirst(HttpHeaders.CONTENT_DISPOSITION);
    assertThat(inline)
        .matches(
            "inline; filename=\"\\d{8}-\\d{6}_general-v2\\.0_77_cafe-au-lait\\.png\";"
                + " filename\\*=UTF-8''\\d{8}-\\d{6}_general-v2\\.0_77_caf%C3%A9-au-lait-%E4%B8%80.*\\.png");

    String attachment =
        http.get()
            .uri((String) image.get("url") + "?download=1")
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(byte[].class)
            .getResponseHeaders()
            .getFirst(HttpHeaders.CONTENT_DISPOSITION);
    assertThat(attachment).startsWith("attachment; filename=\"").contains("_77_cafe-au-lait.png\"");

    String thumbnail =
        http.get()
            .uri((String) image.get("thumbnail_url") + "?download=true")
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(byte[].class)
            .getResponseHeaders()
            .getFirst(HttpHeaders.CONTENT_DISPOSITION);
    assertThat(thumbnail)
        .startsWith("attachment; filename=\"")
        .contains("_77_cafe-au-lait_thumb.jpg\"");
  }

  @Test
  void unknownOrMalformedImageIdsAreNotFoundAndABadDownloadFlagIsAFieldError() {
    http.get()
        .uri("/api/v1/images/{id}", UUID.randomUUID())
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    http.get()
        .uri("/api/v1/images/..%2F..%2Fdb%2Fstudio.mv.db")
        .exchange()
        .expectStatus()
        .isNotFound();
    http.get()
        .uri("/api/v1/images/{id}/thumbnail", "not-an-id")
        .exchange()
        .expectStatus()
        .isNotFound();
    Map<String, Object> image = generate(Map.of("prompt", "flag test"));
    http.get()
        .uri((String) image.get("url") + "?download=maybe")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void zipsChosenImagesWithAParamsManifestAndUniqueNames() throws IOException {
    Map<String, Object> first = generate(Map.of("prompt", "same prompt", "seed", 5));
    Map<String, Object> second = generate(Map.of("prompt", "same prompt", "seed", 5));
    String a = (String) first.get("image_id");
    String b = (String) second.get("image_id");
    // Same second, same model, seed and prompt: the same name, which the archive must tell apart.
    db.sql(
            "UPDATE stored_image SET created_at = (SELECT created_at FROM stored_image WHERE id = :a) WHERE id = :b")
        .bind("a", a)
        .bind("b", b)
        .then()
        .block();

    EntityExchangeResult<byte[]> result =
        http.post()
            .uri("/api/v1/images/zip")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("image_ids", List.of(a, b, a)))
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType("application/zip")
            .expectBody(byte[].class)
            .returnResult();
    assertThat(result.getResponseHeaders().getFirst(HttpHeaders.CONTENT_DISPOSITION))
        .matches("attachment; filename=\"volc-images-\\d{8}T\\d{6}Z\\.zip\"");

    Map<String, byte[]> entries = unzip(result.getResponseBody());
    assertThat(entries).hasSize(3).containsKey("params.json");
    List<String> names = entries.keySet().stream().filter(n -> !n.equals("params.json")).toList();
    assertThat(names.get(0)).endsWith("_general-v2.0_5_same-prompt.png");
    assertThat(names.get(1)).endsWith("_general-v2.0_5_same-prompt-2.png");
    byte[] downloaded =
        http.get()
            .uri((String) first.get("url"))
            .exchange()
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    assertThat(entries.get(names.get(0))).isEqualTo(downloaded);

    JsonNode manifest = JSON.readTree(entries.get("params.json"));
    assertThat(manifest.get("images")).hasSize(2);
    assertThat(manifest.get("images").get(0).get("file").asString()).isEqualTo(names.get(0));
    assertThat(manifest.get("images").get(0).get("image_id").asString()).isEqualTo(a);
    assertThat(manifest.get("images").get(1).get("parameters").get("prompt").asString())
        .isEqualTo("same prompt");
    assertThat(manifest.get("images").get(1).get("parameters").get("seed").asLong()).isEqualTo(5);
  }

  @Test
  void anImageWhoseFileVanishedIsLeftOutOfTheZipAndNamedInTheManifest() throws IOException {
    Map<String, Object> kept = generate(Map.of("prompt", "kept file"));
    Map<String, Object> vanished = generate(Map.of("prompt", "vanished file"));
    Files.delete(properties.imagesDir().resolve(vanished.get("image_id") + ".png"));

    byte[] zip =
        http.post()
            .uri("/api/v1/images/zip")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("image_ids", List.of(kept.get("image_id"), vanished.get("image_id"))))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();

    Map<String, byte[]> entries = unzip(zip);
    assertThat(entries).hasSize(2).containsKey("params.json");
    JsonNode manifest = JSON.readTree(entries.get("params.json"));
    assertThat(manifest.get("images")).hasSize(1);
    assertThat(manifest.get("missing_image_ids").get(0).asString())
        .isEqualTo(vanished.get("image_id"));
    http.get().uri((String) vanished.get("url")).exchange().expectStatus().isNotFound();
  }

  @Test
  void aZipOfNothingOrOfMalformedIdsIsAFieldErrorAndOfUnknownIdsNotFound() {
    expectZipProblem(Map.of("image_ids", List.of()), 400, "image_ids");
    expectZipProblem(Map.of(), 400, "image_ids");
    expectZipProblem(
        Map.of("image_ids", List.of(UUID.randomUUID().toString(), "../etc/passwd")),
        400,
        "image_ids[1]");
    expectZipProblem(
        Map.of("image_ids", java.util.Collections.nCopies(501, UUID.randomUUID().toString())),
        400,
        "image_ids");
    expectZipProblem(
        Map.of("image_ids", List.of(UUID.randomUUID().toString()), "extra", 1), 400, "extra");
    Map<String, Object> image = generate(Map.of("prompt", "one that exists"));
    expectZipProblem(
        Map.of("image_ids", List.of((String) image.get("image_id"), UUID.randomUUID().toString())),
        404,
        "image_ids[1]");
  }

  private void expectZipProblem(Map<String, Object> body, int status, String field) {
    http.post()
        .uri("/api/v1/images/zip")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.errors[?(@.field == '" + field + "')].reason")
        .isNotEmpty();
  }

  /** Submits, waits for the end, and returns the first image with its task id. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> generate(Map<String, Object> body) {
    Map<String, Object> accepted =
        http.post()
            .uri("/api/v1/generate")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    String taskId = (String) accepted.get("task_id");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Map<String, Object> task =
          http.get()
              .uri("/api/v1/task/{id}", taskId)
              .exchange()
              .expectStatus()
              .isOk()
              .expectBody(JSON_OBJECT)
              .returnResult()
              .getResponseBody();
      if (task.get("status").equals("completed")) {
        Map<String, Object> image =
            new LinkedHashMap<>(((List<Map<String, Object>>) task.get("images")).get(0));
        image.put("task_id", taskId);
        return image;
      }
      assertThat(task.get("status")).isIn("pending", "running");
      sleep();
    }
    throw new AssertionError("task " + taskId + " did not complete within 30 s");
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in =
        new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.put(entry.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  /**
   * The text of a PNG iTXt/tEXt entry, read the standard way: ImageIO's native PNG metadata tree.
   */
  static String pngText(byte[] png, String keyword) throws IOException {
    try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
      ImageReader reader = readers.next();
      reader.setInput(input);
      IIOMetadata metadata = reader.getImageMetadata(0);
      Node root = metadata.getAsTree("javax_imageio_png_1.0");
      for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
        for (Node entry = chunk.getFirstChild(); entry != null; entry = entry.getNextSibling()) {
          NamedNodeMap attributes = entry.getAttributes();
          if (attributes != null
              && attributes.getNamedItem("keyword") != null
              && attributes.getNamedItem("keyword").getNodeValue().equals(keyword)) {
            return attributes
                .getNamedItem(chunk.getNodeName().equals("iTXt") ? "text" : "value")
                .getNodeValue();
          }
        }
      }
    }
    throw new AssertionError("no text entry '" + keyword + "' in the PNG");
  }
}
