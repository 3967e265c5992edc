package com.volcstudio.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain blocking JSON client for test threads talking to a separate app or emulator process. */
final class Api {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final URI base;

  Api(URI base) {
    this.base = base;
  }

  record Answer(int status, String contentType, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }
  }

  URI uri(String path) {
    return base.resolve(path);
  }

  Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Answer put(String path) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(base.resolve(path)).PUT(HttpRequest.BodyPublishers.noBody()));
  }

  Answer delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
  }

  Answer postJson(String path, Object body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    body instanceof String s ? s : JSON.writeValueAsString(body))));
  }

  /** Submits one generation and answers its task id. */
  String submit(Map<String, Object> body) throws IOException, InterruptedException {
    Answer answer = postJson("/api/v1/generate", body);
    if (answer.status() != 202) {
      throw new IllegalStateException("submit answered " + answer.status() + ": " + answer.body());
    }
    return answer.json().path("task_id").asString();
  }

  JsonNode task(String id) throws IOException, InterruptedException {
    return get("/api/v1/task/" + id).json();
  }

  private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        response.body());
  }
}
