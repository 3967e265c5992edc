package com.volcstudio.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.connection.ConnectionCheck;
import com.volcstudio.connection.Providers;
import com.volcstudio.connection.StudioMode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/** No keys at all: demo mode against the built-in emulator on a loopback port. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "DEMO_LATENCY=50ms"})
@AutoConfigureWebTestClient
class DemoModeTests {

  @Autowired WebTestClient http;
  @Autowired Providers providers;

  @Test
  void noKeysMeanDemoModeAgainstTheBuiltInEmulatorOnLoopback() {
    assertThat(providers.mode()).isEqualTo(StudioMode.DEMO);
    assertThat(providers.visual())
        .hasValueSatisfying(c -> assertThat(c.endpoint().getHost()).isEqualTo("127.0.0.1"));
    http.get()
        .uri("/api/v1/system/info")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.mode")
        .isEqualTo("demo")
        .jsonPath("$.version")
        .isNotEmpty()
        .jsonPath("$.models[0]")
        .isEqualTo("general_v2.0")
        .jsonPath("$.quota.used")
        .isNumber();
  }

  @LocalServerPort int port;

  @Autowired ConnectionCheck connectionCheck;

  /**
   * Two pages ask for the system information while the connection check is under way, and one of
   * them goes away (a reload after the login did this): the other still gets its answer. The check
   * is shared through a cache, and the first caller's leaving used to cancel it for everyone — a
   * 500 with a CancellationException.
   */
  @Test
  void aCallerLeavingDuringTheConnectionCheckDoesNotCancelItForTheOthers() throws Exception {
    String emulator = providers.visual().orElseThrow().endpoint().toString().replaceAll("/?$", "");
    WebClient client = WebClient.create();
    client
        .post()
        .uri(emulator + "/_emulator/faults")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "code", "timeout", "action", "CVSync2AsyncGetResult", "count", 1, "hold_ms", 1500))
        .retrieve()
        .toBodilessEntity()
        .block();
    connectionCheck.forget();
    String info = "http://127.0.0.1:" + port + "/api/v1/system/info";

    Disposable leaving =
        client.get().uri(info).retrieve().toBodilessEntity().subscribe(ok -> {}, e -> {});
    Thread.sleep(200);
    var staying =
        client.get().uri(info).exchangeToMono(r -> Mono.just(r.statusCode().value())).toFuture();
    Thread.sleep(200);
    leaving.dispose();

    assertThat(staying.get(10, TimeUnit.SECONDS)).isEqualTo(200);
  }

  /**
   * What the class-data training run asks for answers, as the run asks for it (no frontend build
   * here, so not "/").
   */
  @Test
  void everyApiPathOfTheTrainingRunAnswers() {
    List<Integer> statuses = TrainingRun.firstLoad(port);
    for (int i = 0; i < TrainingRun.FIRST_LOAD.size(); i++) {
      if (!TrainingRun.FIRST_LOAD.get(i).equals("/")) {
        assertThat(statuses.get(i)).as(TrainingRun.FIRST_LOAD.get(i)).isEqualTo(200);
      }
    }
  }

  @Test
  void theModelCatalogIsServedWithLimitsAndPresets() {
    http.get()
        .uri("/api/v1/models")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.models[0].id")
        .isEqualTo("general_v2.0")
        .jsonPath("$.models[0].available")
        .isEqualTo(true)
        .jsonPath("$.models[0].size.max")
        .isEqualTo(1360)
        .jsonPath("$.models[0].params.steps.default")
        .isEqualTo(16)
        .jsonPath("$.models[0].name.zh")
        .isEqualTo("通用 2.0")
        .jsonPath("$.models[2].params.steps")
        .doesNotExist();
  }

  @Test
  void healthTheOpenApiDocumentAndMetricsAreServed() {
    http.get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
    // springdoc builds the document on first request: seconds on a busy 2-core machine, past the 5
    // s default.
    http.mutate()
        .responseTimeout(java.time.Duration.ofSeconds(60))
        .build()
        .get()
        .uri("/api/docs/openapi.json")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.openapi")
        .value(v -> assertThat((String) v).startsWith("3."))
        .jsonPath("$.paths['/api/v1/generate'].post")
        .exists()
        .jsonPath("$.paths['/api/v1/task/{task_id}/events'].get")
        .exists()
        .jsonPath("$.paths['/api/v1/uploads'].post.requestBody.content['multipart/form-data']")
        .exists();
    http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
    http.get().uri("/actuator/env").exchange().expectStatus().isNotFound();
  }
}
