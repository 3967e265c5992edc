package com.volcstudio.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.servers.Server;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The OpenAPI document ({@code /api/docs/openapi.json}) and its UI ({@code /api/docs}, which
 * redirects to {@code /api/swagger-ui/index.html}). What is the same for every endpoint is added
 * here rather than annotated on each: the problem+json error responses (400 for bad input wherever
 * there is input, 404 wherever an id is in the path, 500 everywhere), so an endpoint added later is
 * documented with them too, and the media types of the answers that are files. Success codes other
 * than 200 and endpoint-specific errors are annotated on the handlers; an error annotated with a
 * description only is given the problem+json content. Which fields may be null and which are always
 * there comes from the records themselves (NullnessModelConverter).
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

  static final String PROBLEM = "Problem";
  private static final String PROBLEM_JSON = "application/problem+json";

  /** What the operations that answer with a file send, by Content-Type. */
  private static final Map<String, List<String>> FILES =
      Map.of(
          "GET /api/v1/images/{image_id}", List.of("image/png", "image/jpeg"),
          "GET /api/v1/images/{image_id}/thumbnail", List.of("image/jpeg"),
          "GET /api/v1/uploads/{upload_id}", List.of("image/png", "image/jpeg", "image/webp"),
          "POST /api/v1/images/zip", List.of("application/zip"),
          "GET /api/v1/task/{task_id}/zip", List.of("application/zip"),
          "GET /api/v1/batch/{batch_id}/zip", List.of("application/zip"));

  /** Request bodies worth an example: what a client would send first. */
  private static final Map<String, Object> REQUEST_EXAMPLES =
      Map.of(
          "POST /api/v1/generate",
              Map.of(
                  "prompt",
                  "一只可爱的猫咪在阳光下",
                  "model",
                  "general_v3.0",
                  "width",
                  1024,
                  "height",
                  1024,
                  "num_images",
                  1,
                  "seed",
                  42),
          "POST /api/v1/generate/batch",
              Map.of(
                  "prompt",
                  "a lighthouse at dusk, oil painting",
                  "seeds",
                  List.of(1, 2, 3),
                  "sizes",
                  List.of(Map.of("width", 1024, "height", 1024)),
                  "dry_run",
                  true),
          "POST /api/v1/presets",
              Map.of(
                  "name",
                  "Square, 4 images",
                  "params",
                  Map.of("model", "general_v3.0", "width", 1024, "height", 1024, "num_images", 4)),
          "PUT /api/v1/presets/{preset_id}",
              Map.of(
                  "name",
                  "Square, 4 images",
                  "params",
                  Map.of("model", "general_v3.0", "width", 1024, "height", 1024, "num_images", 4)));

  @Bean
  OpenAPI studioOpenApi(ObjectProvider<BuildProperties> build) {
    String version = build.getIfAvailable() == null ? "dev" : build.getIfAvailable().getVersion();
    return new OpenAPI()
        .info(
            new Info()
                .title("Volc Image Studio API")
                .version(version)
                .description(
                    "Text-to-image generation through VolcEngine with a durable task queue, history, presets and live"
                        + " events. JSON is snake_case; times are ISO-8601 UTC; every error is application/problem+json with an"
                        + " `errors: [{field, reason}]` list for bad input.")
                .license(new License().name("MIT").identifier("MIT")))
        // Relative, so the document is the same whichever host or proxy serves it.
        .servers(List.of(new Server().url("/").description("This server")))
        .components(
            new Components()
                .addSchemas(PROBLEM, problemSchema())
                .addSchemas("FieldError", fieldErrorSchema()));
  }

  /**
   * springdoc reads models with swagger-core's own Jackson 2 mapper, which knows nothing of the
   * app's (Jackson 3) snake_case naming; without this the document would name every field in
   * camelCase.
   */
  private static final ObjectMapper MODELS =
      Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  // springdoc puts each converter bean in front of swagger-core's chain in the order of their
  // list, so the last one runs first: the nullness converter wraps what this resolver makes.
  @Bean
  @Order(0)
  ModelResolver snakeCaseModelResolver() {
    return new ModelResolver(MODELS);
  }

  @Bean
  @Order(1)
  ModelConverter nullnessModelConverter() {
    return new NullnessModelConverter(MODELS);
  }

  @Bean
  OpenApiCustomizer problemResponses() {
    return openApi ->
        openApi
            .getPaths()
            .forEach(
                (path, item) ->
                    item.readOperationsMap()
                        .forEach(
                            (method, operation) -> {
                              ApiResponses responses = operation.getResponses();
                              // Files, not JSON: springdoc cannot tell from a Resource or a
                              // stream of buffers what it will be.
                              List<String> fileTypes = FILES.get(method + " " + path);
                              if (fileTypes != null && responses.get("200") != null) {
                                Content files = new Content();
                                fileTypes.forEach(
                                    type ->
                                        files.addMediaType(
                                            type,
                                            new MediaType()
                                                .schema(new StringSchema().format("binary"))));
                                responses.get("200").content(files);
                              }
                              // A malformed id in the path is simply not found (404); bad input is
                              // a body, query or header.
                              boolean hasInput =
                                  operation.getRequestBody() != null
                                      || (operation.getParameters() != null
                                          && operation.getParameters().stream()
                                              .anyMatch(p -> !"path".equals(p.getIn())));
                              Object example = REQUEST_EXAMPLES.get(method + " " + path);
                              if (example != null
                                  && operation.getRequestBody() != null
                                  && operation.getRequestBody().getContent() != null) {
                                operation
                                    .getRequestBody()
                                    .getContent()
                                    .values()
                                    .forEach(media -> media.setExample(example));
                              }
                              // An error a handler declares with a description only is a
                              // problem too, so the annotation need not spell out its content
                              // (springdoc would give it the handler's success body).
                              responses.forEach(
                                  (code, response) -> {
                                    if (code.startsWith("4")
                                        && (response.getContent() == null
                                            || !response.getContent().containsKey(PROBLEM_JSON))) {
                                      response.content(problemContent());
                                    }
                                  });
                              if (hasInput) {
                                responses.putIfAbsent(
                                    "400",
                                    problem(
                                        "Malformed or out-of-range input; `errors` names each field and why.",
                                        badInputExample(path)));
                              }
                              if (path.contains("{")) {
                                responses.putIfAbsent(
                                    "404",
                                    problem(
                                        "No such id (also for ids that cannot be ours).",
                                        notFoundExample(path)));
                              }
                              responses.putIfAbsent(
                                  "500",
                                  problem(
                                      "Unexpected failure; the detail never contains secrets.",
                                      Map.of(
                                          "type",
                                          "about:blank",
                                          "title",
                                          "Internal Server Error",
                                          "status",
                                          500,
                                          "detail",
                                          "Something went wrong on our side.",
                                          "instance",
                                          example(path))));
                            }));
  }

  private static ApiResponse problem(String description, Map<String, Object> example) {
    Content content = problemContent();
    content.get(PROBLEM_JSON).examples(Map.of("problem", new Example().value(example)));
    return new ApiResponse().description(description).content(content);
  }

  private static Content problemContent() {
    return new Content()
        .addMediaType(
            PROBLEM_JSON,
            new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
  }

  private static Map<String, Object> badInputExample(String path) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", "Invalid request");
    problem.put("status", 400);
    problem.put("detail", "limit: must be between 1 and 100");
    problem.put("instance", example(path));
    problem.put("errors", List.of(Map.of("field", "limit", "reason", "must be between 1 and 100")));
    return problem;
  }

  private static Map<String, Object> notFoundExample(String path) {
    return Map.of(
        "type",
        "about:blank",
        "title",
        "Not found",
        "status",
        404,
        "detail",
        "No such id '8d0c7f6e-3b1a-4c2e-9f47-1a2b3c4d5e6f'.",
        "instance",
        example(path));
  }

  /** The path with an example id in place of each template variable. */
  private static String example(String path) {
    return path.replaceAll("\\{[^}]+}", "8d0c7f6e-3b1a-4c2e-9f47-1a2b3c4d5e6f");
  }

  /** RFC 9457 problem details as Spring writes them, plus our {@code errors} list. */
  private static Schema<?> problemSchema() {
    return new ObjectSchema()
        .description("RFC 9457 problem details")
        .addProperty(
            "type",
            new StringSchema()
                .description(
                    "A URI naming the problem type; about:blank when the status says it all"))
        .addProperty("title", new StringSchema().description("Short summary of the problem type"))
        .addProperty("status", new IntegerSchema().description("HTTP status code"))
        .addProperty(
            "detail", new StringSchema().description("What went wrong this time, for people"))
        .addProperty("instance", new StringSchema().description("The request path"))
        .addProperty(
            "errors",
            new ArraySchema()
                .items(new Schema<>().$ref("#/components/schemas/FieldError"))
                .description("For 400: every offending field, never only the first"));
  }

  private static Schema<?> fieldErrorSchema() {
    return new ObjectSchema()
        .required(List.of("field", "reason"))
        .addProperty(
            "field",
            new StringSchema()
                .example("width")
                .description("The field, query parameter or header at fault"))
        .addProperty("reason", new StringSchema().example("must be between 512 and 2048"));
  }
}
