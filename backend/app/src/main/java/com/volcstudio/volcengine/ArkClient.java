package com.volcstudio.volcengine;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;
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
                    post(connection, body, MediaType.APPLICATION_JSON)
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

  /**
   * One image of a streamed set as it arrives: its bytes, or the error that failed it alone ({@code
   * image_generation.partial_failed}).
   */
  public record SetPart(byte @Nullable [] image, @Nullable UpstreamError failure) {}

  private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS =
      new ParameterizedTypeReference<>() {};

  /**
   * Asks for an image set with {@code stream: true} and hands each image to {@code arrived} as its
   * event comes (PROTOCOL-2026-12 §2); completes at {@code image_generation.completed}. The
   * account's concurrency slot is held while the stream is open. Parameter errors come back as a
   * plain JSON error before any stream; a stream that ends before {@code completed} fails as {@code
   * UPSTREAM_CLOSED}: the images it did send are the caller's, the rest may be asked for again.
   */
  public Mono<Void> stream(
      ArkConnection connection, Map<String, Object> body, Consumer<SetPart> arrived) {
    return governor.generation(
        Mono.defer(
            () ->
                post(connection, body, MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON)
                    .exchangeToMono(
                        response -> {
                          boolean events =
                              response
                                  .headers()
                                  .contentType()
                                  .filter(MediaType.TEXT_EVENT_STREAM::isCompatibleWith)
                                  .isPresent();
                          if (!events) {
                            // An error before the stream, or a whole answer after all.
                            return response
                                .bodyToMono(byte[].class)
                                .defaultIfEmpty(new byte[0])
                                .flatMap(raw -> parse(response.statusCode().value(), raw))
                                .doOnNext(images -> images.forEach(i -> arrived.accept(image(i))))
                                .then();
                          }
                          AtomicBoolean completed = new AtomicBoolean();
                          return response
                              .bodyToFlux(EVENTS)
                              .concatMap(event -> handle(event, arrived, completed))
                              .then(
                                  Mono.defer(
                                      () ->
                                          completed.get()
                                              ? Mono.<Void>empty()
                                              : Mono.error(cut("the stream ended early"))));
                        })
                    .onErrorMap(WebClientRequestException.class, UpstreamTransport::failure)
                    .onErrorMap(
                        e -> !(e instanceof VolcApiException) && closedMidway(e),
                        e -> cut(UpstreamTransport.reason(e)))));
  }

  /** {@code POST {ARK_ENDPOINT}/images/generations} with the bearer key and a JSON body. */
  private WebClient.RequestHeadersSpec<?> post(
      ArkConnection connection, Map<String, Object> body, MediaType... accept) {
    return webClient
        .post()
        .uri(URI.create(UpstreamTransport.base(connection.endpoint()) + "/images/generations"))
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + connection.apiKey())
        .contentType(MediaType.APPLICATION_JSON)
        .accept(accept)
        .bodyValue(json.writeValueAsBytes(body));
  }

  private static SetPart image(byte[] bytes) {
    return new SetPart(bytes, null);
  }

  /** One event of a set's stream; the {@code event:} name is its data's {@code type}. */
  private Mono<Void> handle(
      ServerSentEvent<String> event, Consumer<SetPart> arrived, AtomicBoolean completed) {
    String data = event.data();
    if (data == null || data.isBlank() || data.strip().equals("[DONE]")) {
      return Mono.empty();
    }
    JsonNode node;
    try {
      node = json.readTree(data);
    } catch (JacksonException e) {
      return Mono.error(
          new VolcApiException(
              VolcErrorCodes.describe("UPSTREAM_MALFORMED", "a stream event is not JSON", 200)));
    }
    String type = node.path("type").asString(event.event() == null ? "" : event.event());
    JsonNode error = node.path("error");
    switch (type) {
      case "image_generation.partial_succeeded" -> {
        String b64 = node.path("b64_json").asString("");
        if (b64.isEmpty()) {
          return Mono.error(
              new VolcApiException(
                  VolcErrorCodes.describe("EMPTY_RESULT", "a streamed image without data", 200)));
        }
        arrived.accept(image(Base64.getDecoder().decode(b64)));
        return Mono.empty();
      }
      case "image_generation.partial_failed" -> {
        arrived.accept(
            new SetPart(
                null,
                VolcErrorCodes.describe(
                    error.path("code").asString("Unknown"),
                    error.path("message").asString(""),
                    200)));
        return Mono.empty();
      }
      case "image_generation.completed" -> {
        completed.set(true);
        return Mono.empty();
      }
      default -> {
        if (error.isObject()) {
          // event: error, or any event whose data carries an error: the set ends there.
          return Mono.error(
              new VolcApiException(
                  VolcErrorCodes.describe(
                      error.path("code").asString("Unknown"),
                      error.path("message").asString(""),
                      200)));
        }
        return Mono.empty();
      }
    }
  }

  private static boolean closedMidway(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PrematureCloseException || t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  private static VolcApiException cut(String reason) {
    return new VolcApiException(VolcErrorCodes.describe("UPSTREAM_CLOSED", reason, 0));
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
