package com.volcstudio.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A fresh data directory: usage counts exactly what this test generates. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=20ms",
      "MONTHLY_IMAGE_QUOTA=50",
      "MODEL_PRICES_CNY=general_v2.0=0.12"
    })
@AutoConfigureWebTestClient
// A fresh context, and so a fresh DATA_DIR, for every test and for surefire's rerun of a failed
// one:
// these tests count what they generate, and a rerun on the first run's database counted both.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class UsageApiTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient http;

  @Test
  void countsTodaysTasksAndImagesPerModelWithAnEstimatedCost() throws InterruptedException {
    generate(Map.of("prompt", "two of these", "num_images", 2, "width", 512, "height", 512));
    generate(Map.of("prompt", "__fault_50412__ refused", "width", 512, "height", 512));
    generate(
        Map.of("prompt", "a seedream one", "model", "seedream_4.0", "width", 1280, "height", 720));

    http.get()
        .uri("/api/v1/usage")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.today.tasks")
        .isEqualTo(3)
        .jsonPath("$.today.completed")
        .isEqualTo(2)
        .jsonPath("$.today.failed")
        .isEqualTo(1)
        .jsonPath("$.today.images")
        .isEqualTo(3)
        .jsonPath("$.month.images")
        .isEqualTo(3)
        .jsonPath("$.by_model[?(@.model == 'general_v2.0')].images")
        .isEqualTo(java.util.List.of(2))
        // MODEL_PRICES_CNY's price, not the catalog's 0.
        .jsonPath("$.by_model[?(@.model == 'general_v2.0')].estimated_cost_cny")
        .isEqualTo(java.util.List.of(0.24))
        .jsonPath("$.by_model[?(@.model == 'seedream_4.0')].estimated_cost_cny")
        .isEqualTo(java.util.List.of(0.2))
        .jsonPath("$.quota.used")
        .isEqualTo(3)
        .jsonPath("$.quota.limit")
        .isEqualTo(50)
        .jsonPath("$.cost_is_estimate")
        .isEqualTo(true);
  }

  @Test
  void systemInfoAndUsageGiveTheSameQuotaAfterGenerations() throws InterruptedException {
    Map<String, Object> before = quota("/api/v1/usage");
    generate(Map.of("prompt", "three at once", "num_images", 3, "width", 512, "height", 512));
    generate(Map.of("prompt", "one more", "width", 512, "height", 512));

    Map<String, Object> usage = quota("/api/v1/usage");
    Map<String, Object> info = quota("/api/v1/system/info");

    assertThat(info).isEqualTo(usage);
    assertThat(((Number) usage.get("used")).longValue())
        .isEqualTo(((Number) before.get("used")).longValue() + 4);
    assertThat(usage).containsEntry("limit", 50);
  }

  @Test
  void aRangeGivesEachUtcDayAndModelAndARangeWithoutUsageIsEmpty() throws InterruptedException {
    generate(Map.of("prompt", "counted today", "width", 512, "height", 512));
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();

    http.get()
        .uri("/api/v1/usage?from={d}&to={d}", today, today)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.from")
        .isEqualTo(today)
        .jsonPath("$.days[?(@.model == 'general_v2.0')].date")
        .isEqualTo(java.util.List.of(today))
        .jsonPath("$.period.images")
        .value(images -> assertThat(((Number) images).longValue()).isPositive());
    http.get()
        .uri("/api/v1/usage?from=2020-01-01&to=2020-01-31")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.days.length()")
        .isEqualTo(0)
        .jsonPath("$.period.images")
        .isEqualTo(0)
        .jsonPath("$.estimated_cost_cny")
        .isEqualTo(0);
    http.get()
        .uri("/api/v1/usage?from=2999-01-01")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.to")
        .isEqualTo("2999-01-01");
  }

  @Test
  void refusesARangeThatIsNotOneOfDatesInOrderWithinAYear() {
    for (String[] bad :
        new String[][] {
          {"from=yesterday", "from"},
          {"from=2026-02-30", "from"},
          {"from=2026-11-10&to=2026-11-01", "to"},
          {"from=2024-01-01&to=2025-12-31", "to"}
        }) {
      http.get()
          .uri("/api/v1/usage?" + bad[0])
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.errors[0].field")
          .isEqualTo(bad[1]);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> quota(String path) {
    return (Map<String, Object>)
        http.get()
            .uri(path)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody()
            .get("quota");
  }

  private void generate(Map<String, Object> body) throws InterruptedException {
    QuotaSteps steps = new QuotaSteps(http);
    steps.awaitEnd(steps.accepted(body));
  }
}
