package com.volcstudio.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** No MONTHLY_IMAGE_QUOTA in the environment: the settings dialog sets and clears one. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=20ms",
      // A context (and database) of its own: another class with the same properties generates.
      "test.context=quota-from-settings"
    })
@AutoConfigureWebTestClient
// A fresh context, and so a fresh DATA_DIR, for every test and for surefire's rerun of a failed
// one:
// these tests count what they generate, and a rerun on the first run's database counted both.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class QuotaFromSettingsTests {

  @Autowired WebTestClient http;

  @Test
  void aQuotaSetInTheSettingsAppliesToTheNextSubmitAndClearingItLiftsIt()
      throws InterruptedException {
    QuotaSteps steps = new QuotaSteps(http);
    assertThat(quota(steps)).containsEntry("limit", null);

    settings(1)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.runtime.monthly_image_quota")
        .isEqualTo(1);
    assertThat(quota(steps)).containsEntry("limit", 1);
    assertThat(steps.awaitEnd(steps.accepted(1))).isEqualTo("completed");
    steps.submit(1).expectStatus().isEqualTo(429).expectBody().jsonPath("$.limit").isEqualTo(1);

    settings(null).expectStatus().isOk();
    assertThat(quota(steps)).containsEntry("limit", null);
    assertThat(steps.awaitEnd(steps.accepted(1))).isEqualTo("completed");
  }

  @Test
  void refusesAQuotaThatIsNotAPositiveWholeNumber() {
    for (Object bad : new Object[] {0, -5, 2.5, "many"}) {
      settings(bad)
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.errors[0].field")
          .isEqualTo("monthly_image_quota");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> quota(QuotaSteps steps) {
    return (Map<String, Object>) steps.get("/api/v1/system/info").get("quota");
  }

  private WebTestClient.ResponseSpec settings(Object quota) {
    Map<String, Object> body = new HashMap<>();
    body.put("monthly_image_quota", quota);
    return http.patch()
        .uri("/api/v1/settings")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }
}
