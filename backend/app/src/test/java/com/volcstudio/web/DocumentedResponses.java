package com.volcstudio.web;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answers an OpenAPI 3.1 document promises, checked the way a generated client meets them: the
 * status must be documented, the Content-Type must be one documented for it, and a JSON body must
 * validate against that media type's schema ($refs into the components resolved by the validator,
 * in OpenAPI 3.1's dialect of JSON Schema 2020-12, formats such as date-time asserted).
 */
final class DocumentedResponses {

  /** Operations as "METHOD /path/{template}", the way they are written in the document. */
  record Operation(String method, String path) implements Comparable<Operation> {
    @Override
    public String toString() {
      return method + " " + path;
    }

    @Override
    public int compareTo(Operation o) {
      return toString().compareTo(o.toString());
    }
  }

  // Where the validator thinks the document lives: a name only, never fetched (schemas() serves
  // it).
  private static final String DOCUMENT = "https://volc-image-studio.invalid/openapi.json";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JsonNode document;
  private final SchemaRegistry registry;

  DocumentedResponses(String documentJson) {
    this.document = JSON.readTree(documentJson);
    this.registry =
        SchemaRegistry.withDialect(
            Dialects.getOpenApi31(),
            builder ->
                builder
                    .schemas(Map.of(DOCUMENT, documentJson))
                    .schemaRegistryConfig(
                        SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  }

  /** Every operation the document describes. */
  Set<Operation> operations() {
    Set<Operation> operations = new TreeSet<>();
    document
        .get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .propertyNames()
                    .forEach(
                        method ->
                            operations.add(new Operation(method.toUpperCase(), path.getKey()))));
    return operations;
  }

  /**
   * What in this answer the document does not promise, one line each; empty when it matches.
   *
   * @param contentType the answer's Content-Type, null when it has none
   * @param body the answer's body, empty when it has none
   */
  List<String> mismatches(
      Operation operation, int status, @Nullable MediaType contentType, byte[] body) {
    String responses =
        "/paths/"
            + escape(operation.path())
            + "/"
            + operation.method().toLowerCase()
            + "/responses";
    JsonNode response = document.at(responses + "/" + status);
    if (response.isMissingNode()) {
      return List.of(
          operation
              + " answered "
              + status
              + ", which it does not document (it documents "
              + document.at(responses).propertyNames()
              + ")");
    }
    JsonNode content = response.path("content");
    if (contentType == null || body.length == 0) {
      return content.isMissingNode() || content.isEmpty()
          ? List.of()
          : List.of(operation + " " + status + " has no body, but the document promises one");
    }
    String mediaType =
        content.propertyNames().stream()
            .filter(documented -> MediaType.parseMediaType(documented).includes(contentType))
            .findFirst()
            .orElse(null);
    if (mediaType == null) {
      return List.of(
          operation
              + " "
              + status
              + " answered "
              + contentType
              + ", which it does not document (it documents "
              + content.propertyNames()
              + ")");
    }
    if (!isJson(contentType)) {
      // A file: its bytes have no schema to check beyond "binary".
      return List.of();
    }
    Schema schema =
        registry.getSchema(
            SchemaLocation.of(
                DOCUMENT
                    + "#"
                    + responses
                    + "/"
                    + status
                    + "/content/"
                    + escape(mediaType)
                    + "/schema"));
    List<String> mismatches = new ArrayList<>();
    for (Error error : schema.validate(JSON.readTree(body))) {
      mismatches.add(operation + " " + status + ": " + error);
    }
    return mismatches;
  }

  private static boolean isJson(MediaType type) {
    return MediaType.APPLICATION_JSON.isCompatibleWith(type) || type.getSubtype().endsWith("+json");
  }

  /** A JSON pointer token (RFC 6901). */
  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
