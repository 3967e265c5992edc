package com.volcstudio.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;

/**
 * {@code make run}: the backend serves FRONTEND_DIR itself, and sends the .br or .gz that
 * frontend/build.mjs writes beside a file to a client that accepts it, the file itself to any
 * other. FRONTEND_DIR here is a folder of this test's own, laid out as the build lays out dist/.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "DEMO_LATENCY=50ms"})
class PrecompressedAssetsTests {

  private static final String SCRIPT = "/assets/app-1a2b3c4d5e.js";
  private static final byte[] SCRIPT_BODY =
      "console.log('hashed bundle');\n".repeat(40).getBytes(StandardCharsets.UTF_8);
  private static final byte[] PAGE_BODY =
      ("<!doctype html>\n<title>Volc Image Studio</title>\n" + "<p>the page</p>\n".repeat(40))
          .getBytes(StandardCharsets.UTF_8);
  // Only chosen by name, never decoded on the server: any bytes tell which file was sent.
  private static final byte[] SCRIPT_BROTLI =
      "stand-in for the .br".getBytes(StandardCharsets.UTF_8);

  @LocalServerPort int port;

  WebTestClient http;

  // A client that leaves the bytes as they came: the auto-configured one decompresses a gzip answer
  // and drops its Content-Encoding, which would hide what the server sent.
  @BeforeEach
  void rawClient() {
    http =
        WebTestClient.bindToServer(
                new ReactorClientHttpConnector(HttpClient.create().compress(false)))
            .baseUrl("http://localhost:" + port)
            .build();
  }

  @DynamicPropertySource
  static void frontendDir(DynamicPropertyRegistry registry) throws IOException {
    Files.createDirectories(Path.of("target"));
    Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "frontend-");
    Files.createDirectories(dir.resolve("assets"));
    Files.write(dir.resolve("index.html"), PAGE_BODY);
    Files.write(dir.resolve("index.html.gz"), gzip(PAGE_BODY));
    Files.write(dir.resolve("assets/app-1a2b3c4d5e.js"), SCRIPT_BODY);
    Files.write(dir.resolve("assets/app-1a2b3c4d5e.js.gz"), gzip(SCRIPT_BODY));
    Files.write(dir.resolve("assets/app-1a2b3c4d5e.js.br"), SCRIPT_BROTLI);
    // The build compresses only the page, scripts and stylesheets; the icons are sent as they are.
    Files.writeString(dir.resolve("favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    registry.add("FRONTEND_DIR", () -> dir.toUri().toString());
  }

  @Test
  void aClientThatAcceptsGzipGetsTheGzFile() {
    byte[] body =
        http.get()
            .uri(SCRIPT)
            .header(HttpHeaders.ACCEPT_ENCODING, "gzip")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .valueEquals(HttpHeaders.CONTENT_ENCODING, "gzip")
            .expectHeader()
            .values(HttpHeaders.VARY, vary -> assertThat(vary).contains("Accept-Encoding"))
            .expectHeader()
            .contentTypeCompatibleWith("text/javascript")
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    assertThat(gunzip(body)).isEqualTo(SCRIPT_BODY);
  }

  @Test
  void brotliComesFirstWhenTheClientAcceptsBoth() {
    http.get()
        .uri(SCRIPT)
        .header(HttpHeaders.ACCEPT_ENCODING, "gzip, deflate, br")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals(HttpHeaders.CONTENT_ENCODING, "br")
        .expectBody(byte[].class)
        .isEqualTo(SCRIPT_BROTLI);
  }

  @Test
  void aCodingTheClientRefusesIsNotSent() {
    http.get()
        .uri(SCRIPT)
        .header(HttpHeaders.ACCEPT_ENCODING, "br;q=0, gzip;q=0, identity")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .doesNotExist(HttpHeaders.CONTENT_ENCODING)
        .expectBody(byte[].class)
        .isEqualTo(SCRIPT_BODY);
  }

  @Test
  void aClientThatAcceptsNoEncodingGetsThePlainFile() {
    http.get()
        .uri(SCRIPT)
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .doesNotExist(HttpHeaders.CONTENT_ENCODING)
        .expectHeader()
        .values(HttpHeaders.VARY, vary -> assertThat(vary).contains("Accept-Encoding"))
        .expectBody(byte[].class)
        .isEqualTo(SCRIPT_BODY);
  }

  @Test
  void thePageAtTheRootIsCompressedTooAndAlwaysRevalidated() {
    byte[] body =
        http.get()
            .uri("/")
            .accept(MediaType.TEXT_HTML)
            .header(HttpHeaders.ACCEPT_ENCODING, "gzip")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.TEXT_HTML)
            .expectHeader()
            .valueEquals(HttpHeaders.CONTENT_ENCODING, "gzip")
            .expectHeader()
            .valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache")
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    assertThat(gunzip(body)).isEqualTo(PAGE_BODY);

    http.get()
        .uri("/")
        .accept(MediaType.TEXT_HTML)
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .doesNotExist(HttpHeaders.CONTENT_ENCODING)
        .expectHeader()
        .valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache")
        .expectHeader()
        .values(HttpHeaders.VARY, vary -> assertThat(vary).contains("Accept-Encoding"))
        .expectBody(byte[].class)
        .isEqualTo(PAGE_BODY);
  }

  @Test
  void aFileWithoutCompressedCopiesIsSentAsItIs() {
    http.get()
        .uri("/favicon.svg")
        .header(HttpHeaders.ACCEPT_ENCODING, "gzip, br")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .doesNotExist(HttpHeaders.CONTENT_ENCODING);
  }

  @Test
  void theRootIsThePageOnlyForClientsThatTakeHtml() {
    // As with Boot's welcome page, which / was before: a JSON client gets no HTML for it.
    http.get().uri("/").accept(MediaType.APPLICATION_JSON).exchange().expectStatus().isNotFound();
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] compressed) {
    try (GZIPInputStream zip = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      return zip.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
