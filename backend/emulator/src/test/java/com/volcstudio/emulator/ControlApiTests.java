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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Faults on request and statistics through {@code /_emulator/*}, observed by the official SDK. */
class ControlApiTests {

  private static final Map<String, Object> ASYNC =
      Map.of("req_key", "jimeng_t2i_v31", "prompt", "a fox");
  private final HttpClient http = HttpClient.newHttpClient();
  private VolcEmulator emulator;
  private IVisualService sdk;

  @BeforeEach
  void start() {
    emulator = VolcEmulator.start(OfficialSdk.settings(Duration.ZERO));
    sdk = OfficialSdk.pointedAt(emulator);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void aCountedFaultHitsThatManyRequestsOfItsActionThenStops() throws Exception {
    assertThat(
            control(
                    "POST",
                    "/_emulator/faults",
                    "{\"code\":50500,\"count\":2,\"action\":\"CVSync2AsyncSubmitTask\"}")
                .statusCode())
        .isEqualTo(201);

    assertThatThrownBy(() -> sdk.cvSync2AsyncSubmitTask(ASYNC)).hasMessageContaining("50500");
    assertThat(
            OfficialSdk.tree(
                    sdk.cvSync2AsyncGetResult(Map.of("req_key", "jimeng_t2i_v31", "task_id", "1")))
                .path("code")
                .asInt())
        .as("other actions are untouched")
        .isEqualTo(10000);
    assertThatThrownBy(() -> sdk.cvSync2AsyncSubmitTask(ASYNC)).hasMessageContaining("50500");
    assertThat(OfficialSdk.tree(sdk.cvSync2AsyncSubmitTask(ASYNC)).path("code").asInt())
        .isEqualTo(10000);
  }

  @Test
  void aTimedFaultHitsEveryRequestInItsMomentThenEndsByItself() throws Exception {
    MutableClock clock = new MutableClock();
    emulator.close();
    emulator = VolcEmulator.start(OfficialSdk.settings(Duration.ZERO), clock);
    sdk = OfficialSdk.pointedAt(emulator);
    assertThat(control("POST", "/_emulator/faults", "{\"code\":50429,\"for_ms\":300}").statusCode())
        .isEqualTo(201);

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> sdk.cvSync2AsyncSubmitTask(ASYNC)).hasMessageContaining("50429");
    }
    clock.advance(Duration.ofMillis(300));
    assertThat(OfficialSdk.tree(sdk.cvSync2AsyncSubmitTask(ASYNC)).path("code").asInt())
        .isEqualTo(10000);
    assertThat(control("GET", "/_emulator/faults", "").body()).isEqualTo("{\"faults\":[]}");
    assertThat(control("POST", "/_emulator/faults", "{\"code\":50429,\"for_ms\":0}").statusCode())
        .isEqualTo(400);
  }

  @Test
  void aGatewayFaultAnswersInTheGatewayEnvelopeUntilCleared() throws Exception {
    control("POST", "/_emulator/faults", "{\"code\":\"FlowLimitExceeded\"}");
    assertThatThrownBy(() -> sdk.cvSync2AsyncSubmitTask(ASYNC))
        .hasMessageContaining("ResponseMetadata")
        .hasMessageContaining("FlowLimitExceeded");

    assertThat(control("DELETE", "/_emulator/faults", "").statusCode()).isEqualTo(204);
    assertThat(OfficialSdk.tree(sdk.cvSync2AsyncSubmitTask(ASYNC)).path("code").asInt())
        .isEqualTo(10000);
  }

  @Test
  void aProbabilisticFaultHitsSomeRequestsReproducibly() throws Exception {
    control(
        "POST",
        "/_emulator/faults",
        "{\"code\":50501,\"probability\":0.5,\"action\":\"CVSync2AsyncSubmitTask\"}");
    int failed = 0;
    for (int i = 0; i < 40; i++) {
      try {
        sdk.cvSync2AsyncSubmitTask(ASYNC);
      } catch (Exception e) {
        assertThat(e).hasMessageContaining("50501");
        failed++;
      }
    }
    assertThat(failed).isBetween(8, 32);
  }

  @Test
  void statisticsCountRequestsSubmissionsTasksAnswersAndImages() throws Exception {
    String id =
        OfficialSdk.tree(sdk.cvSync2AsyncSubmitTask(ASYNC)).path("data").path("task_id").asString();
    sdk.cvSync2AsyncGetResult(Map.of("req_key", "jimeng_t2i_v31", "task_id", id));
    control("POST", "/_emulator/faults", "{\"code\":50429,\"count\":1}");
    assertThatThrownBy(
        () -> sdk.cvProcess(Map.of("req_key", "high_aes_general_v20_L", "prompt", "x")));
    assertThatThrownBy(
        () -> OfficialSdk.pointedAt(emulator, "d3Jvbmc=").cvProcess(Map.of("req_key", "x")));

    JsonNode stats = OfficialSdk.parse(control("GET", "/_emulator/stats", "").body());

    assertThat(stats.path("requests").path("CVSync2AsyncSubmitTask").asInt()).isEqualTo(1);
    assertThat(stats.path("requests").path("CVProcess").asInt()).isEqualTo(2);
    assertThat(stats.path("submissions").path("jimeng_t2i_v31").asInt()).isEqualTo(1);
    assertThat(stats.path("async_tasks_submitted").asInt()).isEqualTo(1);
    assertThat(stats.path("answers").path("10000").asInt()).isEqualTo(2);
    assertThat(stats.path("answers").path("50429").asInt()).isEqualTo(1);
    assertThat(stats.path("answers").path("SignatureDoesNotMatch").asInt()).isEqualTo(1);
    assertThat(stats.path("images_rendered").asInt()).isEqualTo(1);
    assertThat(control("DELETE", "/_emulator/stats", "").statusCode()).isEqualTo(204);
    assertThat(
            OfficialSdk.parse(control("GET", "/_emulator/stats", "").body())
                .path("async_tasks_submitted")
                .asInt())
        .isZero();
  }

  @Test
  void aDroppedResponseMakesTheSdkSubmitTheSameTaskTwiceAndTheStatisticsShowIt() throws Exception {
    control(
        "POST",
        "/_emulator/faults",
        "{\"code\":\"drop\",\"count\":1,\"action\":\"CVSync2AsyncSubmitTask\"}");

    JsonNode answer = OfficialSdk.tree(sdk.cvSync2AsyncSubmitTask(ASYNC));
    JsonNode stats = OfficialSdk.parse(control("GET", "/_emulator/stats", "").body());

    assertThat(answer.path("code").asInt()).isEqualTo(10000);
    assertThat(stats.path("async_tasks_submitted").asInt())
        .as("the SDK retried after NoHttpResponseException")
        .isEqualTo(2);
    assertThat(stats.path("duplicate_submissions").asInt()).isEqualTo(1);
  }

  @Test
  void aTimeoutFaultHoldsTheAnswerThenTimesOutWithoutDoingTheWork() throws Exception {
    control(
        "POST",
        "/_emulator/faults",
        "{\"code\":\"timeout\",\"count\":1,\"hold_ms\":400,\"action\":\"CVSync2AsyncSubmitTask\"}");

    long started = System.nanoTime();
    assertThatThrownBy(() -> sdk.cvSync2AsyncSubmitTask(ASYNC))
        .hasMessageContaining("InternalServiceTimeout");
    JsonNode stats = OfficialSdk.parse(control("GET", "/_emulator/stats", "").body());

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
    assertThat(stats.path("async_tasks_submitted").asInt()).isZero();
    assertThat(stats.path("answers").path("timeout").asInt()).isEqualTo(1);
  }

  @Test
  void aMalformedBodyFaultAnswersSomethingThatIsNotJsonWithoutDoingTheWork() throws Exception {
    control("POST", "/_emulator/faults", "{\"code\":\"malformed\",\"count\":1}");

    assertThatThrownBy(() -> sdk.cvSync2AsyncSubmitTask(ASYNC))
        .as("the SDK cannot parse the answer");
    JsonNode stats = OfficialSdk.parse(control("GET", "/_emulator/stats", "").body());

    assertThat(stats.path("answers").path("malformed").asInt()).isEqualTo(1);
    assertThat(stats.path("async_tasks_submitted").asInt()).isZero();
  }

  @Test
  void aMalformedFaultIsRefused() throws Exception {
    assertThat(control("POST", "/_emulator/faults", "{\"count\":1}").statusCode()).isEqualTo(400);
  }

  private HttpResponse<String> control(String method, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(emulator.endpoint().resolve(URI.create(path)))
            .method(
                method,
                body.isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
