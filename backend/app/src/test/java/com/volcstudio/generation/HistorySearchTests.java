package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * History search, filters and paging over 1,200 finished tasks written straight into the table:
 * enough for a common word to pass the count cap, with one rare word among them. Its own context
 * (and DATA_DIR), so that those 1,200 tasks never show up in another class's history.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=20ms",
      "test.context=history-search"
    })
@AutoConfigureWebTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistorySearchTests {

  private static final int TASKS = 1_200;

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;

  /**
   * Task X (1…1,200) is X seconds old: its prompt alternates Chinese and English (one in 1,200 has
   * a rare word), its model cycles through three, one in 10 is a favourite.
   */
  @BeforeAll
  void seed() {
    if (db.sql("SELECT id FROM generation_task WHERE prompt LIKE '%Needle-321'")
        .fetch()
        .first()
        .blockOptional()
        .isPresent()) {
      return; // seeded by a previous run of this class in the same context
    }
    db.sql(
            "INSERT INTO generation_task (id, status, stage, progress, model, prompt, negative_prompt, width, height,"
                + " num_images, seed, attempts, favourite, created_at, started_at, completed_at)"
                + " SELECT RANDOM_UUID(), 'completed', 'done', 100,"
                + " CASE MOD(X, 3) WHEN 0 THEN 'general_v3.0' WHEN 1 THEN 'general_v2.0' ELSE 'seedream_4.0' END,"
                + " CASE WHEN MOD(X, 2) = 0 THEN '一只可爱的猫咪在阳光下，第 ' || X || ' 张'"
                + "   ELSE 'A Lighthouse at dusk #' || CASEWHEN(X = 321, 'Needle-321', CAST(X AS VARCHAR)) END,"
                + " '', 512, 512, 1, X, 1, MOD(X, 10) = 3, DATEADD('SECOND', -X, TIMESTAMP WITH TIME ZONE"
                + " '2026-11-01 12:00:00+00'), NULL, DATEADD('SECOND', 1 - X, TIMESTAMP WITH TIME ZONE"
                + " '2026-11-01 12:00:00+00') FROM SYSTEM_RANGE(1, "
                + TASKS
                + ")")
        .then()
        .block();
  }

  @Test
  void aCommonWordIsCountedUpToTheCapAndSaysTheTotalIsALowerBound() {
    Map<String, Object> page = TaskPolling.history(http, "q=猫咪&limit=20");

    assertThat(page)
        .containsEntry("total", 20 + TaskListController.COUNT_CAP)
        .containsEntry("total_capped", true);
    assertThat(prompts(page)).hasSize(20).allMatch(prompt -> prompt.contains("猫咪"));
    // The whole history is counted exactly: H2 knows its row count. (Other test classes with the
    // same settings share this database: count what is there.)
    long finished =
        db.sql(
                "SELECT COUNT(*) AS n FROM generation_task"
                    + " WHERE status IN ('completed', 'failed', 'cancelled')")
            .map(row -> row.get("n", Long.class))
            .one()
            .block();
    assertThat(TaskPolling.history(http, "limit=20"))
        .containsEntry("total", (int) finished)
        .containsEntry("total_capped", false);
  }

  @Test
  void aRareWordAndAChineseSubstringAreFoundInAnyCaseAndCountedExactly() {
    Map<String, Object> rare = TaskPolling.history(http, "q=nEEDLE-32");
    assertThat(prompts(rare)).containsExactly("A Lighthouse at dusk #Needle-321");
    assertThat(rare).containsEntry("total", 1).containsEntry("total_capped", false);

    Map<String, Object> chinese = TaskPolling.history(http, "q=可爱的猫咪在阳光下，第&limit=1&page=3");
    assertThat(prompts(chinese)).containsExactly("一只可爱的猫咪在阳光下，第 6 张");
  }

  @Test
  void searchAndFiltersCombineAndCursorPagesHaveNoGapsOrRepeats() {
    String filters = "q=LIGHTHOUSE&model=general_v2.0&favourite=true";
    List<String> expected =
        db.sql(
                "SELECT id FROM generation_task WHERE prompt LIKE 'A Lighthouse%'"
                    + " AND model = 'general_v2.0' AND favourite ORDER BY created_at DESC, id DESC")
            .map(row -> row.get("id", String.class))
            .all()
            .collectList()
            .block();
    assertThat(expected).hasSizeGreaterThan(20);

    List<String> walked = new ArrayList<>();
    Map<String, Object> page = TaskPolling.history(http, filters + "&limit=7");
    walked.addAll(TaskPolling.taskIds(page));
    while (page.get("next_cursor") != null) {
      assertThat(page).containsEntry("total", expected.size()).containsEntry("total_capped", false);
      page = TaskPolling.history(http, filters + "&limit=7&cursor=" + page.get("next_cursor"));
      walked.addAll(TaskPolling.taskIds(page));
    }
    assertThat(walked).containsExactlyElementsOf(expected);

    List<String> byOffset = new ArrayList<>();
    for (int n = 1; n <= (expected.size() + 6) / 7; n++) {
      byOffset.addAll(
          TaskPolling.taskIds(TaskPolling.history(http, filters + "&limit=7&page=" + n)));
    }
    assertThat(byOffset).containsExactlyElementsOf(expected);
  }

  @Test
  void aDeletedTaskLeavesTheSearch() {
    String query = "q=第 1000 张";
    List<String> found = TaskPolling.taskIds(TaskPolling.history(http, query));
    assertThat(found).hasSize(1);

    http.delete().uri("/api/v1/task/{id}", found.get(0)).exchange().expectStatus().isNoContent();

    assertThat(TaskPolling.history(http, query))
        .containsEntry("total", 0)
        .containsEntry("items", List.of());
  }

  @SuppressWarnings("unchecked")
  private static List<String> prompts(Map<String, Object> page) {
    return ((List<Map<String, Object>>) page.get("items"))
        .stream().map(t -> (String) t.get("prompt")).toList();
  }
}
