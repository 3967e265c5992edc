package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * History search through the in-memory prompt index: the same answers as reading the table (every
 * filter, both kinds of paging, the totals), new tasks found at once, deleted ones gone, and
 * correct answers while the index loads. 2,500 finished tasks are written straight into the table,
 * as an upgrade finds them; the index is loaded as at start-up.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=20ms",
      "test.context=prompt-index"
    })
@AutoConfigureWebTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromptIndexTests {

  private static final int TASKS = 2_500;

  /** In 13 of the tasks (Chinese has no spaces: found inside a longer run of characters). */
  private static final String RARE_CHINESE = "麒麟踏云";

  /** In 10 of the tasks, capitalised. */
  private static final String RARE_ENGLISH = "Zephyrine";

  private static final String ALL_STATUSES = "status=pending,running,completed,failed,cancelled";

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;
  @Autowired PromptIndex index;

  /**
   * Task X (1…2,500) is X minutes old; one in 5 failed, one in 4 a favourite, three models. Every
   * 200th (from 17) has the rare Chinese word and every 250th (from 3) the rare English one; the
   * rest alternate a common Chinese and a common English prompt.
   */
  @BeforeAll
  void seed() {
    db.sql(
            "INSERT INTO generation_task (id, status, stage, progress, model, prompt, negative_prompt, width, height,"
                + " num_images, seed, attempts, favourite, created_at, started_at, completed_at)"
                + " SELECT RANDOM_UUID(), CASEWHEN(MOD(X, 5) = 2, 'failed', 'completed'), 'done', 100,"
                + " CASE MOD(X, 3) WHEN 0 THEN 'general_v3.0' WHEN 1 THEN 'general_v2.0' ELSE 'seedream_4.0' END,"
                + " CASE WHEN MOD(X, 200) = 17 THEN '水墨画：一只麒麟踏云而来 ' || X"
                + "   WHEN MOD(X, 250) = 3 THEN 'Portrait of Lady Zephyrine, oil #' || X"
                + "   WHEN MOD(X, 2) = 0 THEN '一只可爱的猫咪在阳光下，第 ' || X || ' 张'"
                + "   ELSE 'A lighthouse at dusk #' || X END,"
                + " '', 512, 512, 1, X, 1, MOD(X, 4) = 1, DATEADD('MINUTE', -X, TIMESTAMP WITH TIME ZONE"
                + " '2026-11-01 12:00:00+00'), NULL, DATEADD('MINUTE', 1 - X, TIMESTAMP WITH TIME ZONE"
                + " '2026-11-01 12:00:00+00') FROM SYSTEM_RANGE(1, "
                + TASKS
                + ")")
        .then()
        .block();
    index.rebuild().block(Duration.ofSeconds(30));
  }

  @Test
  void rareWordsAnswerWithEveryFilterAndPagingExactlyAsTheTableScanDoes() {
    List<String> queries = new ArrayList<>();
    for (String word : List.of(RARE_CHINESE, "麒麟", RARE_ENGLISH.toUpperCase(), "zephyrine, oil")) {
      String q = "q=" + word;
      queries.add(q);
      queries.add(q + "&" + ALL_STATUSES);
      queries.add(q + "&model=general_v2.0");
      queries.add(q + "&status=failed");
      queries.add(q + "&favourite=true");
      queries.add(q + "&from=2026-11-01T00:00:00Z&to=2026-11-01T10:00:00Z");
      queries.add(q + "&model=seedream_4.0&status=completed&from=2026-10-31");
      for (int page = 1; page <= 5; page++) {
        queries.add(q + "&limit=2&page=" + page);
      }
      queries.add(q + "&limit=1&page=40");
    }
    // The index names the candidates: the SQL reads only those rows.
    assertThat(candidates(RARE_CHINESE)).hasSize(13);
    assertThat(candidates(RARE_ENGLISH)).hasSize(10);
    assertThat(candidates("no such word")).isEmpty();

    Map<String, Object> indexed = answers(queries);
    index.forget().block();
    Map<String, Object> scanned = answers(queries);
    index.rebuild().block(Duration.ofSeconds(30));

    assertThat(indexed).isEqualTo(scanned);
    assertThat(page(indexed, "q=" + RARE_CHINESE)).containsEntry("total", 13);
    assertThat(TaskPolling.taskIds(page(indexed, "q=" + RARE_CHINESE))).hasSize(13);
    assertThat(TaskPolling.taskIds(page(indexed, "q=ZEPHYRINE&favourite=true"))).isNotEmpty();
  }

  @Test
  void aCommonWordIsLeftToTheOrderedScan() {
    assertThat(index.narrow(new TaskFilter(List.of(), null, "猫咪", false)).block().among()).isNull();
  }

  @Test
  void aSubmittedTaskIsFoundAtOnceAndNoLongerOnceDeleted() {
    String single = submit("独角兽在彩虹上 Quokkaberry-single");
    String bulkOne = submit("独角兽在彩虹上 Quokkaberry-bulk one");
    String bulkTwo = submit("独角兽在彩虹上 Quokkaberry-bulk two");

    // Straight after the submit answered, while the tasks may still be pending.
    assertThat(candidates("quokkaberry")).containsExactlyInAnyOrder(single, bulkOne, bulkTwo);
    assertThat(TaskPolling.taskIds(TaskPolling.history(http, "q=QUOKKABERRY&" + ALL_STATUSES)))
        .containsExactlyInAnyOrder(single, bulkOne, bulkTwo);
    assertThat(
            TaskPolling.taskIds(TaskPolling.history(http, "q=彩虹上 Quokkaberry-s&" + ALL_STATUSES)))
        .containsExactly(single);

    TaskPolling.awaitTerminal(http, single);
    TaskPolling.awaitTerminal(http, bulkOne);
    TaskPolling.awaitTerminal(http, bulkTwo);
    http.delete().uri("/api/v1/task/{id}", single).exchange().expectStatus().isNoContent();
    assertThat(candidates("quokkaberry")).containsExactlyInAnyOrder(bulkOne, bulkTwo);
    http.post()
        .uri("/api/v1/history/delete")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("task_ids", List.of(bulkOne, bulkTwo)))
        .exchange()
        .expectStatus()
        .isOk();

    assertThat(candidates("quokkaberry")).isEmpty();
    assertThat(TaskPolling.history(http, "q=quokkaberry&" + ALL_STATUSES))
        .containsEntry("total", 0)
        .containsEntry("items", List.of());
  }

  @Test
  void searchesReadTheTableWhileTheIndexLoadsAndItKeepsTasksSubmittedMeanwhile() {
    index.forget().block();
    try {
      assertThat(index.narrow(filter(RARE_ENGLISH)).block().among()).isNull();
      assertThat(TaskPolling.history(http, "q=" + RARE_ENGLISH)).containsEntry("total", 10);
      String during = submit("Wombatique during the load");
      assertThat(TaskPolling.taskIds(TaskPolling.history(http, "q=wombatique&" + ALL_STATUSES)))
          .containsExactly(during);

      index.rebuild().block(Duration.ofSeconds(30));

      assertThat(candidates("wombatique")).containsExactly(during);
    } finally {
      index.rebuild().block(Duration.ofSeconds(30));
    }
  }

  @Test
  void aTaskWrittenAroundTheAppIsFoundAndTheIndexReadsTheTableAgain() throws Exception {
    String id = UUID.randomUUID().toString();
    db.sql(
            "INSERT INTO generation_task (id, status, stage, progress, model, prompt, negative_prompt, width, height,"
                + " num_images, seed, attempts, favourite, created_at, completed_at) VALUES (:id, 'completed', 'done',"
                + " 100, 'general_v2.0', 'Restored Xylocarpa', '', 512, 512, 1, 1, 1, FALSE, :at, :at)")
        .bind("id", id)
        .bind("at", Instant.parse("2026-11-01T12:30:00Z").atOffset(ZoneOffset.UTC))
        .then()
        .block();

    // The row count gives it away: this search reads the table, and the index reloads.
    assertThat(TaskPolling.taskIds(TaskPolling.history(http, "q=xylocarpa"))).containsExactly(id);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<String> found = null;
    while (found == null && System.nanoTime() < deadline) {
      found = candidates("xylocarpa");
      if (found == null) {
        Thread.sleep(20);
      }
    }
    assertThat(found).containsExactly(id);
    assertThat(TaskPolling.taskIds(TaskPolling.history(http, "q=xylocarpa"))).containsExactly(id);
  }

  /** Every query's answer, and for a cursor-paged walk of each the pages after the first. */
  private Map<String, Object> answers(List<String> queries) {
    Map<String, Object> answers = new LinkedHashMap<>();
    for (String query : queries) {
      Map<String, Object> page = TaskPolling.history(http, query);
      answers.put(query, page);
      for (int n = 2; page.get("next_cursor") != null; n++) {
        page = TaskPolling.history(http, query + "&cursor=" + page.get("next_cursor"));
        answers.put(query + " cursor page " + n, page);
      }
    }
    return answers;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> page(Map<String, Object> answers, String query) {
    return (Map<String, Object>) answers.get(query);
  }

  private @Nullable List<String> candidates(String query) {
    return index.narrow(filter(query)).block().among();
  }

  private static TaskFilter filter(String query) {
    return new TaskFilter(List.of(), null, query, false);
  }

  private String submit(String prompt) {
    return (String) TaskPolling.submit(http, Map.of("prompt", prompt)).get("task_id");
  }
}
