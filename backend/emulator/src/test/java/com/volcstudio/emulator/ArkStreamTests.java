package com.volcstudio.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Ark's streamed image sets on the emulator, read line by line over HTTP as they arrive: the
 * framing of PROTOCOL-2026-12 §2 ({@code event:} equal to {@code data.type}, one-line JSON, {@code
 * data: [DONE]}), parameter errors as a plain 400, a {@code partial_failed} image among the others,
 * and a stream cut midway.
 */
class ArkStreamTests {

  private static final String KEY = "ark-stream-key";
  private final HttpClient http = HttpClient.newHttpClient();
  private VolcEmulator emulator;

  @BeforeEach
  void start() {
    emulator =
        VolcEmulator.start(
            EmulatorSettings.loopback(0, "AKLTark", "c2VjcmV0", Duration.ofMillis(30))
                .withArkApiKey(KEY));
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void aSetArrivesImageByImageThenCompletedThenDone() throws Exception {
    List<String> lines = stream(set("一组四季的插画", 3));

    List<JsonNode> events = events(lines);
    assertThat(events)
        .extracting(e -> e.path("type").asString())
        .containsExactly(
            "image_generation.partial_succeeded",
            "image_generation.partial_succeeded",
            "image_generation.partial_succeeded",
            "image_generation.completed");
    assertThat(events.get(1).path("image_index").asInt()).isEqualTo(1);
    assertThat(events.get(0).path("b64_json").asString()).isNotEmpty();
    assertThat(events.get(0).path("size").asString()).isEqualTo("1024x1024");
    assertThat(events.get(3).path("usage").path("generated_images").asInt()).isEqualTo(3);
    assertThat(lines).last().isEqualTo("data: [DONE]");
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("event: ")) {
        // The event's name is its data's type.
        JsonNode data = OfficialSdk.parse(lines.get(i + 1).substring("data: ".length()));
        assertThat(lines.get(i).substring("event: ".length()))
            .isEqualTo(data.path("type").asString());
      }
    }
  }

  @Test
  void aModeratedImageIsPartialFailedWhileTheOthersSucceed() throws Exception {
    List<JsonNode> events = events(stream(set("三张图 __fault_50511__", 3)));

    assertThat(events)
        .extracting(e -> e.path("type").asString())
        .containsExactly(
            "image_generation.partial_succeeded",
            "image_generation.partial_failed",
            "image_generation.partial_succeeded",
            "image_generation.completed");
    assertThat(events.get(1).path("error").path("code").asString())
        .isEqualTo("OutputImageSensitiveContentDetected");
    assertThat(events.get(3).path("usage").path("generated_images").asInt()).isEqualTo(2);
  }

  @Test
  void parameterErrorsAreAPlain400BeforeAnyStream() throws Exception {
    HttpResponse<String> response =
        send(
            """
            {"model":"doubao-seedream-4-0-250828","prompt":"x","size":"1x1","stream":true,
             "sequential_image_generation":"auto"}""");
    HttpResponse<String> pro =
        send(
            """
            {"model":"doubao-seedream-5-0-pro-260628","prompt":"x","stream":true}""");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("json");
    assertThat(pro.statusCode()).isEqualTo(400);
    assertThat(OfficialSdk.parse(pro.body()).path("error").path("param").asString())
        .isEqualTo("stream");
  }

  @Test
  void anInjectedCutClosesTheStreamAfterItsFirstImage() throws Exception {
    HttpResponse<String> armed =
        http.send(
            HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/_emulator/faults"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"code\":\"cut_stream\",\"count\":1,\"action\":\"ArkImagesGenerations\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(armed.statusCode()).isEqualTo(201);
    List<String> received = new ArrayList<>();

    assertThatThrownBy(
            () -> {
              HttpResponse<Stream<String>> response =
                  http.send(request(set("被切断的一组", 3)), HttpResponse.BodyHandlers.ofLines());
              response.body().forEach(received::add);
            })
        .isInstanceOfAny(IOException.class, java.io.UncheckedIOException.class);
    assertThat(events(received)).hasSize(1);
    assertThat(events(stream(set("随后的一组", 2)))).hasSize(3);
  }

  private static String set(String prompt, int images) {
    return """
        {"model":"doubao-seedream-4-0-250828","prompt":"%s","size":"1024x1024","stream":true,
         "sequential_image_generation":"auto",
         "sequential_image_generation_options":{"max_images":%d},
         "response_format":"b64_json","watermark":false}"""
        .formatted(prompt, images);
  }

  private List<String> stream(String json) throws Exception {
    HttpResponse<Stream<String>> response =
        http.send(request(json), HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    return response.body().filter(line -> !line.isEmpty()).toList();
  }

  private static List<JsonNode> events(List<String> lines) {
    return lines.stream()
        .filter(line -> line.startsWith("data: {"))
        .map(line -> OfficialSdk.parse(line.substring("data: ".length())))
        .toList();
  }

  private HttpResponse<String> send(String json) throws Exception {
    return http.send(request(json), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String json) {
    return HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/api/v3/images/generations"))
        .header("Authorization", "Bearer " + KEY)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }
}
