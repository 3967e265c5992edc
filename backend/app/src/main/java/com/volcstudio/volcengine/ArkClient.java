package com.volcstudio.volcengine;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Non-blocking client of Ark's images API ({@code POST {ARK_ENDPOINT}/images/generations}, bearer
 * key; docs/volcengine/PROTOCOL.md §6). Images are asked for as {@code b64_json}, so nothing
 * depends on a URL that expires.
 */
public final class ArkClient {

  private final WebClient webClient;
  private final JsonMapper json;
  private final QuotaGovernor governor;

  public ArkClient(WebClient webClient, JsonMapper json, QuotaGovernor governor) {
    this.webClient = webClient;
    this.json = json;
    this.governor = governor;
  }

  /**
   * Generates; the decoded images in order. A per-image error inside {@code data[]} fails the call
   * with its code.
   */
  public Mono<List<byte[]>> generate(ArkConnection connection, Map<String, Object> body) {
    return governor
        .generation(
            Mono.defer(
                () ->
                    webClient
                        .post()
                        .uri(
                            URI.create(
                                UpstreamTransport.base(connection.endpoint())
                                    + "/images/generations"))
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + connection.apiKey())
                        .contentType(MediaType.APPLICATION_JSON)
                        .accept(MediaType.APPLICATION_JSON)
                        .bodyValue(json.writeValueAsBytes(body))
                        .exchangeToMono(
                            response ->
                                response
                                    .bodyToMono(byte[].class)
                                    .defaultIfEmpty(new byte[0])
                                    .map(raw -> new Answer(response.statusCode().value(), raw)))
                        .onErrorMap(WebClientRequestException.class, UpstreamTransport::failure)))
        // Decoding the images (megabytes of base64) happens after the concurrency slot is freed,
        // so the account's next call is not kept waiting for it.
        .flatMap(answer -> parse(answer.httpStatus(), answer.raw()));
  }

  private record Answer(int httpStatus, byte[] raw) {}

  private Mono<List<byte[]>> parse(int httpStatus, byte[] raw) {
    JsonNode root;
    try {
      root = json.readTree(raw);
    } catch (JacksonException e) {
      // A body cut short or a proxy's error page: a transient fault on the way, so retryable.
      return Mono.error(
          new VolcApiException(
              VolcErrorCodes.describe(
                  "UPSTREAM_MALFORMED",
                  "HTTP " + httpStatus + " with a body that is not JSON",
                  httpStatus)));
    }
    JsonNode error = root.path("error");
    if (httpStatus >= 300 || error.isObject()) {
      return Mono.error(
          new VolcApiException(
              VolcErrorCodes.describe(
                  error.path("code").asString("HTTP_" + httpStatus),
                  error.path("message").asString(""),
                  httpStatus)));
    }
    List<byte[]> images = new ArrayList<>();
    for (JsonNode item : root.path("data")) {
      if (item.path("error").isObject()) {
        // In group generation a moderated image fails alone (docs/volcengine/PROTOCOL.md §6.4); one
        // image per call
        // here.
        return Mono.error(
            new VolcApiException(
                VolcErrorCodes.describe(
                    item.path("error").path("code").asString("Unknown"),
                    item.path("error").path("message").asString(""),
                    httpStatus)));
      }
      String b64 = item.path("b64_json").asString("");
      if (!b64.isEmpty()) {
        images.add(Base64.getDecoder().decode(b64));
      }
    }
    if (images.isEmpty()) {
      return Mono.error(
          new VolcApiException(
              VolcErrorCodes.describe(
                  "EMPTY_RESULT", "the response carried no image", httpStatus)));
    }
    return Mono.just(images);
  }
}
