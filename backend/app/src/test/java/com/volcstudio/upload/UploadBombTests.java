package com.volcstudio.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
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
 * The decompression bomb of the review at the default limits (4096 px a side, 64 MB decoded): a 130
 * KB PNG of 4096² 16-bit RGBA passes the side limit and decodes to 128 MiB. It is refused from its
 * header; ten at once are all refused without the heap noticing; and decodes that are allowed take
 * turns.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "RATE_LIMIT_ENABLED=false"})
@AutoConfigureWebTestClient(timeout = "60s")
class UploadBombTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  private static byte[] bomb;

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;
  @Autowired Uploads uploads;

  @BeforeAll
  static void makeBomb() {
    bomb = TestImages.png16BitRgbaBomb(4096);
  }

  @Test
  void refusesThe16BitBombWith413NamingTheFieldWithoutDecodingIt() {
    assertThat(bomb.length).isBetween(100_000, 200_000);
    long rows = rows();
    long allocated = allocatedBytes();
    long started = System.nanoTime();
    Map<String, Object> problem = post(bomb, 413);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(problem.get("errors")).asString().contains("field=file");
    assertThat((String) problem.get("detail"))
        .startsWith("file: ")
        .contains("4096×4096 px, 4 channels of 16 bits")
        .contains("UPLOAD_MAX_DECODED_MB");
    // Decoding it costs about a second of CPU and 128 MiB; the header alone answers at once.
    assertThat(took).isLessThan(Duration.ofMillis(700));
    assertThat(allocatedBytes() - allocated).isLessThan(48L << 20);
    assertThat(rows()).isEqualTo(rows);
  }

  @Test
  void tenBombsAtOnceAreAllRefusedAndTheHeapNeverHoldsTheirPixels() {
    long rows = rows();
    long allocated = allocatedBytes();
    List<CompletableFuture<Integer>> answers =
        IntStream.range(0, 10)
            .mapToObj(i -> CompletableFuture.supplyAsync(() -> status(bomb)))
            .toList();
    assertThat(answers.stream().map(CompletableFuture::join)).containsOnly(413);
    // Ten decodes would allocate ten times 128 MiB (the compose limit, -Xmx1152m, ends in
    // OutOfMemoryError); the ten requests together take a few MB.
    assertThat(allocatedBytes() - allocated).isLessThan(128L << 20);
    assertThat(rows()).isEqualTo(rows);
  }

  @Test
  void imagesThatMayBeDecodedTakeTurns() {
    // The largest image the defaults take (4096² 8-bit RGBA, 64 MiB decoded), ten at once: each
    // inflates its pixel data, never more than DECODING_THREADS of them at the same time.
    byte[] largest = TestImages.png(4096, 4096);
    ImageInspector inspector = uploads.inspector();
    long reads = inspector.pixelReads();
    List<CompletableFuture<Integer>> answers =
        IntStream.range(0, 10)
            .mapToObj(i -> CompletableFuture.supplyAsync(() -> status(largest)))
            .toList();
    assertThat(answers.stream().map(CompletableFuture::join)).containsOnly(201);
    assertThat(inspector.pixelReads() - reads).isEqualTo(10);
    assertThat(inspector.mostAtOnce()).isBetween(1, Uploads.DECODING_THREADS);
  }

  private Map<String, Object> post(byte[] bytes, int status) {
    return http.post()
        .uri("/api/v1/uploads")
        .contentType(MediaType.MULTIPART_FORM_DATA)
        .body(BodyInserters.fromMultipartData(multipart(bytes).build()))
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  private int status(byte[] bytes) {
    return http.post()
        .uri("/api/v1/uploads")
        .contentType(MediaType.MULTIPART_FORM_DATA)
        .body(BodyInserters.fromMultipartData(multipart(bytes).build()))
        .exchange()
        .returnResult(byte[].class)
        .getStatus()
        .value();
  }

  private static MultipartBodyBuilder multipart(byte[] bytes) {
    MultipartBodyBuilder parts = new MultipartBodyBuilder();
    parts.part(
        "file",
        new ByteArrayResource(bytes) {
          @Override
          public String getFilename() {
            return "bomb.png";
          }
        });
    return parts;
  }

  /**
   * Heap allocated by every thread of this JVM so far (HotSpot counts it per thread, live or
   * ended): what the uploads in between cost, wherever they ran.
   */
  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getTotalThreadAllocatedBytes();
  }

  private long rows() {
    return db.sql("SELECT COUNT(*) AS n FROM upload")
        .map(row -> row.get("n", Long.class))
        .one()
        .block();
  }
}
