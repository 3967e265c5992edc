package com.volcstudio.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.config.StudioProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * POST /api/v1/uploads and GET /api/v1/uploads/{id}: what is accepted, what is refused, and that
 * refusals store nothing.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "UPLOAD_MAX_MB=1",
      "UPLOAD_MAX_SIDE=2048"
    })
@AutoConfigureWebTestClient
class UploadApiTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;
  @Autowired StudioProperties studio;

  @Test
  void storesAPngAndServesItBack() {
    byte[] png = TestImages.png(320, 200);
    Map<String, Object> created = upload("photo.png", png, 201);
    assertThat(created)
        .containsEntry("mime_type", "image/png")
        .containsEntry("width", 320)
        .containsEntry("height", 200)
        .containsEntry("size_bytes", png.length);
    String id = (String) created.get("upload_id");
    assertThat(created.get("url")).isEqualTo("/api/v1/uploads/" + id);

    byte[] served =
        http.get()
            .uri("/api/v1/uploads/{id}", id)
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType(MediaType.IMAGE_PNG)
            .expectHeader()
            .valueEquals("X-Content-Type-Options", "nosniff")
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    assertThat(served).isEqualTo(png);
    assertThat(studio.dataDir().resolve("uploads").resolve(id + ".png")).exists();
  }

  @Test
  void storesUploadsWithoutTheirGpsPositionAndOtherMetadata() {
    for (byte[] original :
        List.of(
            TestImages.jpegWithGps(120, 80),
            TestImages.pngWithText(64, 48),
            TestImages.webpWithExif())) {
      assertThat(latin1(original)).contains(TestImages.SECRET);
      Map<String, Object> created = upload("phone.jpg", original, 201);
      byte[] served =
          http.get()
              .uri("/api/v1/uploads/{id}", created.get("upload_id"))
              .exchange()
              .expectStatus()
              .isOk()
              .expectBody(byte[].class)
              .returnResult()
              .getResponseBody();
      assertThat(latin1(served))
          .as("%s served back", created.get("mime_type"))
          .doesNotContain(TestImages.SECRET)
          .doesNotContain("GPS");
      assertThat(created).containsEntry("size_bytes", served.length);
    }
  }

  @Test
  void judgesTheTypeByTheBytesNotTheName() {
    Map<String, Object> jpeg = upload("looks-like.png", TestImages.jpeg(64, 48), 201);
    assertThat(jpeg).containsEntry("mime_type", "image/jpeg").containsEntry("width", 64);
    Map<String, Object> webp = upload("image.bin", TestImages.WEBP_1X1, 201);
    assertThat(webp)
        .containsEntry("mime_type", "image/webp")
        .containsEntry("width", 1)
        .containsEntry("height", 1);
  }

  @Test
  void refusesTextDressedAsAPngWith415() {
    long before = rows();
    problem(multipart("cat.png", "<script>alert(1)</script> not an image".getBytes()), 415, "file");
    assertNothingStored(before);
  }

  @Test
  void refusesAFileOverTheLimitWith413WhileReadingIt() {
    long before = rows();
    // 1 MB + 1 KB of image-looking bytes: under the early Content-Length check, caught while
    // reading.
    byte[] big = TestImages.png(8, 8);
    big = java.util.Arrays.copyOf(big, 1024 * 1024 + 1024);
    problem(multipart("big.png", big), 413, "file");
    assertNothingStored(before);
  }

  @Test
  void refusesABodyDeclaredTooLargeBeforeReadingIt() {
    long before = rows();
    // A body with a Content-Length over the limit is answered from the headers alone.
    byte[] head =
        ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] body = java.util.Arrays.copyOf(head, 3 * 1024 * 1024);
    Map<String, Object> problem =
        http.post()
            .uri("/api/v1/uploads")
            .contentType(MediaType.parseMediaType("multipart/form-data; boundary=b"))
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isEqualTo(413)
            .expectHeader()
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    assertThat(problem.get("errors")).asString().contains("field=file");
    assertNothingStored(before);
  }

  @Test
  void refusesABodyThatIsNotMultipartDespiteItsContentTypeWith400() {
    long before = rows();
    Map<String, Object> problem =
        http.post()
            .uri("/api/v1/uploads")
            .contentType(MediaType.parseMediaType("multipart/form-data; boundary=b"))
            .bodyValue("no boundary anywhere in here")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectHeader()
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    assertThat(problem.get("errors")).asString().contains("field=body");
    assertNothingStored(before);
  }

  @Test
  void refusesAChunkedBodyThatGrowsPastTheLimitWhileReadingIt() {
    long before = rows();
    problem(multipart("huge.png", new byte[3 * 1024 * 1024]), 413, "file");
    assertNothingStored(before);
  }

  @Test
  void refusesADecompressionBombFromItsHeaderWithoutDecodingIt() {
    long before = rows();
    byte[] bomb = TestImages.pngBomb(50_000, 50_000);
    assertThat(bomb.length).isLessThan(1024);
    long started = System.nanoTime();
    Map<String, Object> body = problem(multipart("bomb.png", bomb), 413, "file");
    // Decoding 50000² RGBA would need 10 GB; the answer comes from the header alone.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    assertThat((String) body.get("detail")).contains("50000×50000");
    assertNothingStored(before);
  }

  @Test
  void refusesAnImageWiderThanTheSideLimit() {
    problem(multipart("wide.png", TestImages.png(2049, 10)), 413, "file");
  }

  @Test
  void refusesADamagedImageWith400() {
    byte[] png = TestImages.png(100, 100);
    problem(multipart("cut.png", java.util.Arrays.copyOf(png, 60)), 400, "file");
  }

  @Test
  void requiresTheFileField() {
    MultipartBodyBuilder parts = new MultipartBodyBuilder();
    parts.part("other", "text");
    problem(parts, 400, "file");
  }

  @Test
  void answersUnknownAndMalformedIdsWith404() {
    http.get()
        .uri("/api/v1/uploads/{id}", "00000000-0000-0000-0000-000000000000")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    http.get().uri("/api/v1/uploads/..%2F..%2Fetc%2Fpasswd").exchange().expectStatus().isNotFound();
  }

  private Map<String, Object> upload(String name, byte[] bytes, int status) {
    return http.post()
        .uri("/api/v1/uploads")
        .contentType(MediaType.MULTIPART_FORM_DATA)
        .body(BodyInserters.fromMultipartData(multipart(name, bytes).build()))
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  private Map<String, Object> problem(MultipartBodyBuilder parts, int status, String field) {
    Map<String, Object> body =
        http.post()
            .uri("/api/v1/uploads")
            .contentType(MediaType.MULTIPART_FORM_DATA)
            .body(BodyInserters.fromMultipartData(parts.build()))
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectHeader()
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    assertThat(body.get("errors")).asString().contains("field=" + field);
    return body;
  }

  private static MultipartBodyBuilder multipart(String name, byte[] bytes) {
    MultipartBodyBuilder parts = new MultipartBodyBuilder();
    parts
        .part(
            "file",
            new ByteArrayResource(bytes) {
              @Override
              public String getFilename() {
                return name;
              }
            })
        .contentType(MediaType.IMAGE_PNG);
    return parts;
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private long rows() {
    return db.sql("SELECT COUNT(*) AS n FROM upload")
        .map(row -> row.get("n", Long.class))
        .one()
        .block();
  }

  private void assertNothingStored(long rowsBefore) {
    assertThat(rows()).isEqualTo(rowsBefore);
    Path dir = studio.dataDir().resolve("uploads");
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.filter(f -> f.getFileName().toString().startsWith(".incoming-")))
            .isEmpty();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }
}
