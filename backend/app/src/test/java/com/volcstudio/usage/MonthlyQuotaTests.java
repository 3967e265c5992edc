package com.volcstudio.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** MONTHLY_IMAGE_QUOTA=4 on a fresh data directory, against the demo emulator. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=20ms",
      "MONTHLY_IMAGE_QUOTA=4"
    })
@AutoConfigureWebTestClient
// A fresh context, and so a fresh DATA_DIR, for every test and for surefire's rerun of a failed
// one:
// these tests count what they generate, and a rerun on the first run's database counted both.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class MonthlyQuotaTests {

  @Autowired WebTestClient http;

  @Test
  void refusesSubmitsOverTheQuotaCountingQueuedImagesAndKeepingDeletedOnes()
      throws InterruptedException {
    QuotaSteps steps = new QuotaSteps(http);

    // Queued images count: three waiting in a paused queue leave room for one.
    steps.post("/api/v1/queue/pause");
    String three = steps.accepted(3);
    steps
        .submit(2)
        .expectStatus()
        .isEqualTo(429)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectHeader()
        .exists(HttpHeaders.RETRY_AFTER)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("MONTHLY_QUOTA_EXCEEDED")
        .jsonPath("$.used")
        .isEqualTo(0)
        .jsonPath("$.reserved")
        .isEqualTo(3)
        .jsonPath("$.limit")
        .isEqualTo(4)
        .jsonPath("$.requested")
        .isEqualTo(2)
        .jsonPath("$.errors[0].field")
        .isEqualTo("num_images");
    steps.post("/api/v1/queue/resume");
    assertThat(steps.awaitEnd(three)).isEqualTo("completed");

    // Made images count the same, for single submits and batches; an estimate is still free.
    steps.submit(2).expectStatus().isEqualTo(429).expectBody().jsonPath("$.used").isEqualTo(3);
    Map<String, Object> batch =
        Map.of("prompts", List.of("one", "two"), "width", 512, "height", 512);
    http.post()
        .uri("/api/v1/generate/batch")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(batch)
        .exchange()
        .expectStatus()
        .isEqualTo(429)
        .expectBody()
        .jsonPath("$.requested")
        .isEqualTo(2);
    http.post()
        .uri("/api/v1/generate/batch")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("prompts", List.of("one", "two"), "dry_run", true))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.images")
        .isEqualTo(2);
    // Refused submits stored nothing.
    assertThat(steps.get("/api/v1/history").get("total")).isEqualTo(1);

    String last = steps.accepted(1);
    assertThat(steps.awaitEnd(last)).isEqualTo("completed");
    assertThat(steps.quotaUsed()).isEqualTo(4);

    // Deleting the history gives no images back: they were made (and paid for).
    http.delete().uri("/api/v1/task/{id}", three).exchange().expectStatus().is2xxSuccessful();
    http.delete().uri("/api/v1/task/{id}", last).exchange().expectStatus().is2xxSuccessful();
    assertThat(steps.get("/api/v1/history").get("total")).isEqualTo(0);
    assertThat(steps.quotaUsed()).isEqualTo(4);
    steps.submit(1).expectStatus().isEqualTo(429);
  }
}
