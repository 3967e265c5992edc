package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * History's keyset paging (cursor / next_cursor) and its prompt search in Chinese and English. The
 * totals are exact, so this class has an application context (and DATA_DIR) of its own: classes
 * with the same properties share one, and HistorySearchTests seeds 1,200 tasks into its.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=20ms",
      "test.context=history-paging"
    })
@AutoConfigureWebTestClient
class HistoryPagingTests {

  @Autowired WebTestClient http;

  @Test
  void nextCursorWalksTheHistoryNewestFirstWithoutGapsOrRepeatsAndSearchIgnoresCase() {
    List<String> ids =
        List.of("一只可爱的猫咪在阳光下", "A Lighthouse at dusk", "水墨山水 lighthouse", "nothing alike").stream()
            .map(
                prompt ->
                    (String)
                        TaskPolling.submit(
                                http, Map.of("prompt", prompt, "width", 512, "height", 512))
                            .get("task_id"))
            .toList();
    ids.forEach(id -> TaskPolling.awaitTerminal(http, id));

    Map<String, Object> first = TaskPolling.history(http, "limit=3");
    assertThat(first).containsEntry("total", 4).containsEntry("page", 1);
    assertThat(TaskPolling.taskIds(first)).containsExactly(ids.get(3), ids.get(2), ids.get(1));
    Map<String, Object> second =
        TaskPolling.history(http, "limit=3&cursor=" + first.get("next_cursor"));
    assertThat(TaskPolling.taskIds(second)).containsExactly(ids.get(0));
    assertThat(second).containsEntry("next_cursor", null).containsEntry("total", 4);

    assertThat(TaskPolling.taskIds(TaskPolling.history(http, "q=LIGHTHOUSE")))
        .containsExactly(ids.get(2), ids.get(1));
    assertThat(TaskPolling.taskIds(TaskPolling.history(http, "q=猫咪"))).containsExactly(ids.get(0));
    // LIKE's wildcards are plain characters in a search.
    assertThat(TaskPolling.taskIds(TaskPolling.history(http, "q=%25"))).isEmpty();
  }

  @Test
  void aCursorWeDidNotIssueIsAFieldError() {
    http.get()
        .uri("/api/v1/history?cursor=bm90LWEtY3Vyc29y")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("cursor");
  }
}
