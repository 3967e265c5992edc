package com.volcstudio.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document at {@code /api/docs/openapi.json}: valid, complete about errors, and equal
 * to the committed copy ({@code src/test/resources/openapi.json}) that the build generates a client
 * from.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "DATA_DIR=target/test-data/${random.uuid}")
@AutoConfigureWebTestClient
class OpenApiDocumentTests {

  static final Path COMMITTED = Path.of("src/test/resources/openapi.json");
  private static final Path LIVE_COPY = Path.of("target/openapi.json");
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  @Autowired WebTestClient http;

  @Test
  void theDocumentPassesTheValidatorWithoutAMessage() {
    SwaggerParseResult result = parse(live());
    assertThat(result.getMessages()).isEmpty();
    assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.");
  }

  @Test
  void everyOperationDocumentsItsErrorsAsProblemDetails() {
    OpenAPI api = parse(live()).getOpenAPI();
    assertThat(api.getPaths())
        .containsKeys(
            "/api/v1/generate", "/api/v1/task/{task_id}", "/api/v1/history", "/api/v1/events");
    api.getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (method, operation) -> {
                          String name = method + " " + path;
                          assertThat(operation.getResponses()).as(name).containsKey("500");
                          assertThat(operation.getResponses().get("500").getContent())
                              .as(name)
                              .containsKey("application/problem+json");
                          if (path.contains("{")) {
                            assertThat(operation.getResponses()).as(name).containsKey("404");
                          }
                          if (operation.getRequestBody() != null
                              || (operation.getParameters() != null
                                  && operation.getParameters().stream()
                                      .anyMatch(p -> !"path".equals(p.getIn())))) {
                            assertThat(operation.getResponses()).as(name).containsKey("400");
                          }
                        }));
    assertThat(api.getPaths().get("/api/v1/generate").getPost().getResponses()).containsKey("202");
  }

  /**
   * The client of GeneratedClientTests is generated at build time from the committed copy, so it
   * must be this code's document. After an API change: {@code cp backend/app/target/openapi.json
   * backend/app/src/test/resources/openapi.json}.
   */
  @Test
  void theCommittedDocumentIsTheLiveOne() throws IOException {
    String live = live();
    JsonNode liveTree = JSON.readTree(live);
    Files.createDirectories(LIVE_COPY.getParent());
    Files.writeString(LIVE_COPY, JSON.writeValueAsString(liveTree) + "\n", StandardCharsets.UTF_8);
    JsonNode committed = JSON.readTree(Files.readString(COMMITTED, StandardCharsets.UTF_8));
    if (!committed.equals(liveTree)) {
      fail(
          "src/test/resources/openapi.json differs from the live document; the live one was written to "
              + LIVE_COPY
              + ". If the change is intended: cp backend/app/target/openapi.json"
              + " backend/app/src/test/resources/openapi.json");
    }
  }

  @Test
  void theUiIsServedUnderApiDocs() {
    String location =
        http.get()
            .uri("/api/docs")
            .exchange()
            .expectStatus()
            .is3xxRedirection()
            .returnResult(Void.class)
            .getResponseHeaders()
            .getLocation()
            .toString();
    // Under /api/, which nginx proxies.
    assertThat(location).startsWith("/api/");
    http.get()
        .uri(location)
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.TEXT_HTML);
  }

  private String live() {
    // Built on the first request, which takes seconds on a busy machine.
    return http.mutate()
        .responseTimeout(Duration.ofSeconds(60))
        .build()
        .get()
        .uri("/api/docs/openapi.json")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  private static SwaggerParseResult parse(String json) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    return new OpenAPIParser().readContents(json, null, options);
  }
}
