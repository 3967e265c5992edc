package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.database.Dialect;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.ConnectionFactories;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * SEARCH_INDEX_MAX_MB bounds the index's heap: a history that needs more is searched by reading the
 * table, as with 0. Against a bare table of ids and prompts, without the app.
 */
class PromptIndexBudgetTests {

  private static final Dialect H2 = Dialect.of("r2dbc:h2:mem:///");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void aHistoryOutgrowingTheBudgetTurnsTheIndexOffAndSearchesReadTheTable() {
    // 10,000 prompts of 200 characters: about 2.6 MB, over a budget of 1 MB.
    DatabaseClient db = table("over", 10_000);
    PromptIndex index = new PromptIndex(db, H2, new SearchProperties(1), registry);
    try {
      index.rebuild().block(Duration.ofSeconds(30));

      TaskFilter filter = new TaskFilter(List.of(), null, "prompt 42 ", false);
      assertThat(index.narrow(filter).block()).isSameAs(filter);
      assertThat(registry.get("studio.search.index.ready").gauge().value()).isZero();
      assertThat(registry.get("studio.search.index.tasks").gauge().value()).isZero();
    } finally {
      index.destroy();
    }
  }

  @Test
  void withinTheBudgetItNamesTheCandidates() {
    DatabaseClient db = table("within", 1_000);
    PromptIndex index = new PromptIndex(db, H2, new SearchProperties(1), registry);
    try {
      index.rebuild().block(Duration.ofSeconds(30));

      assertThat(index.narrow(new TaskFilter(List.of(), null, "PROMPT 42 ", false)).block().among())
          .hasSize(1);
      assertThat(registry.get("studio.search.index.ready").gauge().value()).isOne();
    } finally {
      index.destroy();
    }
  }

  @Test
  void zeroTurnsItOffWithoutReadingAnything() {
    PromptIndex index =
        new PromptIndex(
            DatabaseClient.create(ConnectionFactories.get("r2dbc:h2:mem:///nothing")),
            H2,
            new SearchProperties(0),
            registry);
    try {
      index.rebuild().block(Duration.ofSeconds(5));
      TaskFilter filter = new TaskFilter(List.of(), null, "anything", false);
      assertThat(index.narrow(filter).block()).isSameAs(filter);
    } finally {
      index.destroy();
    }
  }

  /** {@code rows} tasks whose prompt is "prompt N " followed by 190 x's. */
  private static DatabaseClient table(String name, int rows) {
    DatabaseClient db =
        DatabaseClient.create(
            ConnectionFactories.get("r2dbc:h2:mem:///budget-" + name + ";DB_CLOSE_DELAY=-1"));
    db.sql(
            "CREATE TABLE generation_task (id VARCHAR(36) PRIMARY KEY, prompt VARCHAR(4000),"
                + " prompt_lower VARCHAR(4000) GENERATED ALWAYS AS (LOWER(prompt)))")
        .then()
        .block();
    db.sql(
            "INSERT INTO generation_task (id, prompt) SELECT RANDOM_UUID(),"
                + " 'Prompt ' || X || ' ' || REPEAT('x', 190) FROM SYSTEM_RANGE(1, "
                + rows
                + ")")
        .then()
        .block();
    return db;
  }
}
