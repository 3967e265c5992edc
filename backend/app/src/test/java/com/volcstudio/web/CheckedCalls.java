package com.volcstudio.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.web.DocumentedResponses.Operation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * Calls the running app and checks every answer against the document, keeping each mismatch rather
 * than stopping at the first, so one run lists all that a generated client would trip on. A status
 * other than the one the scenario expects stops it at once: that is the scenario's failure, not the
 * document's.
 */
final class CheckedCalls {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final WebTestClient http;
  private final DocumentedResponses document;
  private final Set<Operation> called = new TreeSet<>();
  private final List<String> mismatches = new ArrayList<>();
  private int answers;

  CheckedCalls(WebTestClient http, DocumentedResponses document) {
    // Archives and images are read whole too; the default 256 KB would not hold a batch's ZIP.
    this.http =
        http.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(32 << 20)).build();
    this.document = document;
  }

  JsonNode get(String uri, Object... variables) {
    return call(200, HttpMethod.GET, uri, null, variables);
  }

  /**
   * @param uri a path as the document writes it, variables named as there, optionally with a query
   * @param json the request body (a String is sent as it is), null for none
   * @return the answer's JSON, or a missing node when it is not JSON
   */
  JsonNode call(
      int expectedStatus,
      HttpMethod method,
      String uri,
      @Nullable Object json,
      Object... variables) {
    WebTestClient.RequestBodySpec spec = http.method(method).uri(uri, variables);
    WebTestClient.RequestHeadersSpec<?> request =
        json == null ? spec : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(json);
    return check(expectedStatus, method, uri, request.exchange().expectBody().returnResult());
  }

  /** {@code POST /api/v1/uploads} of one image in the multipart field {@code file}. */
  JsonNode upload(int expectedStatus, byte[] image) {
    MultipartBodyBuilder parts = new MultipartBodyBuilder();
    parts.part(
        "file",
        new ByteArrayResource(image) {
          @Override
          public String getFilename() {
            return "reference.png";
          }
        });
    EntityExchangeResult<byte[]> result =
        http.post()
            .uri("/api/v1/uploads")
            .contentType(MediaType.MULTIPART_FORM_DATA)
            .body(BodyInserters.fromMultipartData(parts.build()))
            .exchange()
            .expectBody()
            .returnResult();
    return check(expectedStatus, HttpMethod.POST, "/api/v1/uploads", result);
  }

  /**
   * A Server-Sent Events stream: its status and Content-Type are checked, and what arrives within
   * {@code listen} is read (a stream of a finished task ends by itself) before hanging up.
   */
  void stream(String uri, Duration listen, Object... variables) {
    FluxExchangeResult<String> result =
        http.get()
            .uri(uri, variables)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .returnResult(String.class);
    result.getResponseBody().take(listen).collectList().block(listen.plusSeconds(10));
    record(
        200,
        new Operation("GET", path(uri)),
        result.getStatus().value(),
        result.getResponseHeaders().getContentType(),
        // Events are not JSON documents: only the media type is compared.
        new byte[] {'.'});
  }

  /** Every mismatch found so far, one line each. */
  List<String> mismatches() {
    return List.copyOf(mismatches);
  }

  /** How many answers were checked. */
  int answers() {
    return answers;
  }

  /** The document's operations that no call has reached. */
  Set<Operation> notCalled() {
    Set<Operation> missing = new TreeSet<>(document.operations());
    missing.removeAll(called);
    return missing;
  }

  private JsonNode check(
      int expectedStatus, HttpMethod method, String uri, EntityExchangeResult<byte[]> result) {
    byte[] body =
        result.getResponseBodyContent() == null ? new byte[0] : result.getResponseBodyContent();
    MediaType type = result.getResponseHeaders().getContentType();
    record(
        expectedStatus,
        new Operation(method.name(), path(uri)),
        result.getStatus().value(),
        type,
        body);
    boolean json =
        type != null
            && body.length > 0
            && (MediaType.APPLICATION_JSON.isCompatibleWith(type)
                || type.getSubtype().endsWith("+json"));
    return json ? JSON.readTree(body) : MissingNode.getInstance();
  }

  private void record(
      int expectedStatus, Operation operation, int status, @Nullable MediaType type, byte[] body) {
    answers++;
    called.add(operation);
    mismatches.addAll(document.mismatches(operation, status, type, body));
    assertThat(status)
        .as("status of %s, answer %s", operation, new String(body, StandardCharsets.UTF_8))
        .isEqualTo(expectedStatus);
  }

  private static String path(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }
}
