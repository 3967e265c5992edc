package com.volcstudio.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** MONTHLY_IMAGE_QUOTA=4: submits racing for the last images, and a retry that would go over. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=20ms",
      "MONTHLY_IMAGE_QUOTA=4",
      "RATE_LIMIT_ENABLED=false"
    })
@AutoConfigureWebTestClient
// A fresh context, and so a fresh DATA_DIR, for every test and for surefire's rerun of a failed
// one:
// these tests count what they generate, and a rerun on the first run's database counted both.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class QuotaUnderConcurrencyTests {

  @Autowired WebTestClient http;

  @Test
  void concurrentSubmitsNeverTakeMoreThanTheQuotaAndARetryIsCheckedToo()
      throws InterruptedException {
    QuotaSteps steps = new QuotaSteps(http);
    // A task that fails without making an image uses none of the quota.
    String failed =
        steps.accepted(
            java.util.Map.of("prompt", "__fault_50412__ refused", "width", 512, "height", 512));
    assertThat(steps.awaitEnd(failed)).isEqualTo("failed");
    assertThat(steps.quotaUsed()).isZero();

    steps.post("/api/v1/queue/pause");
    List<Integer> statuses =
        IntStream.range(0, 12)
            .mapToObj(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> steps.submit(1).returnResult(Void.class).getStatus().value()))
            .toList()
            .stream()
            .map(CompletableFuture::join)
            .toList();
    long accepted = statuses.stream().filter(s -> s == 202).count();
    assertThat(statuses).allMatch(s -> s == 202 || s == 429);
    assertThat(accepted).isBetween(1L, 4L);
    // Whatever the race refused early is still there to take, one by one, up to exactly 4.
    while (steps.submit(1).returnResult(Void.class).getStatus().value() == 202) {
      accepted++;
    }
    assertThat(accepted).isEqualTo(4);

    // The failed task would make one more image: its retry is refused like a submit.
    http.post()
        .uri("/api/v1/task/{id}/retry", failed)
        .exchange()
        .expectStatus()
        .isEqualTo(429)
        .expectBody()
        .jsonPath("$.requested")
        .isEqualTo(1);
    assertThat(steps.get("/api/v1/task/" + failed).get("status")).isEqualTo("failed");
    steps.post("/api/v1/queue/resume");
  }
}
