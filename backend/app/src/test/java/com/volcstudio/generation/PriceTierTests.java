package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A price that depends on the image's size (Seedream 5.0 Pro: 0.30 up to 2.61 MP, 0.60 above) is
 * what a batch's estimate uses and what the usage ledger records as each image is stored.
 */
@SharedDemoStudio
class PriceTierTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient http;

  @Test
  void aBatchEstimatePricesEachSizeByItsTier() {
    Map<String, Object> estimate =
        http.post()
            .uri("/api/v1/generate/batch")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                Map.of(
                    "prompt",
                    "一只玻璃杯",
                    "model",
                    "seedream_5.0_pro",
                    "sizes",
                    List.of(
                        Map.of("width", 1024, "height", 1024),
                        Map.of("width", 2048, "height", 2048)),
                    "dry_run",
                    true))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();

    assertThat(new BigDecimal(String.valueOf(estimate.get("estimated_cost_cny"))))
        .isEqualByComparingTo("0.90");
  }

  @Test
  void theUsageLedgerRecordsEachImageAtItsTiersPrice() {
    BigDecimal before = proCost();

    for (int side : new int[] {1024, 2048}) {
      String id =
          (String)
              TaskPolling.submit(
                      http,
                      Map.of(
                          "prompt",
                          "价格档位 " + side,
                          "model",
                          "seedream_5.0_pro",
                          "width",
                          side,
                          "height",
                          side))
                  .get("task_id");
      assertThat(TaskPolling.awaitTerminal(http, id).get("status")).isEqualTo("completed");
    }

    assertThat(proCost().subtract(before)).isEqualByComparingTo("0.90");
  }

  @SuppressWarnings("unchecked")
  private BigDecimal proCost() {
    Map<String, Object> usage =
        http.get()
            .uri("/api/v1/usage")
            .exchange()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    return ((List<Map<String, Object>>) usage.get("by_model"))
        .stream()
            .filter(row -> row.get("model").equals("seedream_5.0_pro"))
            .map(row -> new BigDecimal(String.valueOf(row.get("estimated_cost_cny"))))
            .findFirst()
            .orElse(BigDecimal.ZERO);
  }
}
