package com.volcstudio.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.volcengine.service.visual.IVisualService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The async lifecycle of docs/volcengine/PROTOCOL.md §3.1 on a clock the test moves: in_queue →
 * generating → done, not_found, expiry, failed tasks, and result links that stop working (§3.2).
 * Client: the official SDK.
 */
class AsyncLifecycleTests {

  private static final String REQ_KEY = "jimeng_t2i_v31";
  private final MutableClock clock = new MutableClock();
  private VolcEmulator emulator;

  @AfterEach
  void stop() {
    emulator.close();
  }

  private IVisualService start(EmulatorSettings settings) {
    emulator = VolcEmulator.start(settings, clock);
    return OfficialSdk.pointedAt(emulator);
  }

  private IVisualService start() {
    return start(OfficialSdk.settings(Duration.ofSeconds(30)));
  }

  @Test
  void aTaskIsQueuedThenGeneratingThenDone() throws Exception {
    IVisualService sdk = start();
    String id = submit(sdk, "a quiet harbour");

    JsonNode queued = result(sdk, id, Map.of());
    clock.advance(Duration.ofSeconds(15));
    String generating = status(result(sdk, id, Map.of()));
    clock.advance(Duration.ofSeconds(15));
    JsonNode done = result(sdk, id, Map.of());

    assertThat(queued.path("data").path("status").asString()).isEqualTo("in_queue");
    assertThat(queued.path("data").has("binary_data_base64"))
        .as("pending data carries no image fields")
        .isFalse();
    assertThat(generating).isEqualTo("generating");
    assertThat(status(done)).isEqualTo("done");
    assertThat(done.path("data").path("binary_data_base64")).hasSize(1);
  }

  @Test
  void anUnknownTaskIdIsNotFound() throws Exception {
    IVisualService sdk = start();
    assertThat(status(result(sdk, "7000000000000000001", Map.of()))).isEqualTo("not_found");
  }

  @Test
  void aTaskExpiresAfterTwelveHoursAndIsLaterForgotten() throws Exception {
    IVisualService sdk = start();
    String id = submit(sdk, "snow");

    clock.advance(Duration.ofHours(12));
    String expired = status(result(sdk, id, Map.of()));
    clock.advance(Duration.ofHours(12));

    assertThat(expired).isEqualTo("expired");
    assertThat(status(result(sdk, id, Map.of()))).isEqualTo("not_found");
  }

  @Test
  void aTaskThatFailsModerationIsDoneWithTheCodeAndNoData() throws Exception {
    IVisualService sdk = start();
    String id = submit(sdk, "__fault_50511__ a portrait");
    clock.advance(Duration.ofSeconds(31));

    assertThatThrownBy(() -> result(sdk, id, Map.of()))
        .hasMessageContaining("\"code\":50511")
        .hasMessageContaining("\"data\":null");
  }

  @Test
  void returnUrlGivesLinksServedByTheEmulatorThatStopWorkingAfterTheirLifetime() throws Exception {
    IVisualService sdk = start();
    String id = submit(sdk, "a red kite");
    clock.advance(Duration.ofSeconds(30));

    JsonNode done = result(sdk, id, Map.of("return_url", true));
    String url = done.path("data").path("image_urls").get(0).asString();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<byte[]> fresh =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    clock.advance(Duration.ofHours(24));
    HttpResponse<byte[]> stale =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(done.path("data").path("binary_data_base64")).isEmpty();
    assertThat(fresh.statusCode()).isEqualTo(200);
    assertThat(fresh.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    assertThat(stale.statusCode()).isEqualTo(403);
  }

  @Test
  void thePendingShapeIsASetting() throws Exception {
    EmulatorSettings base = OfficialSdk.settings(Duration.ofSeconds(30));
    IVisualService sdk =
        start(
            base.withAsync(
                new EmulatorSettings.Async(
                    Duration.ofHours(12),
                    Duration.ofMinutes(5),
                    EmulatorSettings.PendingResult.NULL_IMAGES,
                    null)));
    JsonNode pending = result(sdk, submit(sdk, "fog"), Map.of()).path("data");

    assertThat(pending.has("binary_data_base64")).isTrue();
    assertThat(pending.get("binary_data_base64").isNull()).isTrue();
    assertThat(pending.get("image_urls").isNull()).isTrue();
  }

  @Test
  void aMalformedTaskIdIsRejectedAsInvalidInput() {
    IVisualService sdk = start();
    assertThatThrownBy(() -> result(sdk, "7.39e18", Map.of())).hasMessageContaining("50215");
  }

  static String submit(IVisualService sdk, String prompt) throws Exception {
    return OfficialSdk.tree(
            sdk.cvSync2AsyncSubmitTask(Map.of("req_key", REQ_KEY, "prompt", prompt)))
        .path("data")
        .path("task_id")
        .asString();
  }

  static JsonNode result(IVisualService sdk, String taskId, Map<String, Object> reqJson)
      throws Exception {
    return OfficialSdk.tree(
        sdk.cvSync2AsyncGetResult(
            Map.of(
                "req_key", REQ_KEY, "task_id", taskId, "req_json", OfficialSdk.reqJson(reqJson))));
  }

  static String status(JsonNode result) {
    return result.path("data").path("status").asString();
  }
}
