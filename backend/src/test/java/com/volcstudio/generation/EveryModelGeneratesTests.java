package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.catalog.SizeRule;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Every model of the catalog generates through our client in demo mode, at the size it was asked for. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "DEMO_LATENCY=20ms", "VOLC_QPS=50", "MAX_CONCURRENT_TASKS=4"})
@AutoConfigureWebTestClient
class EveryModelGeneratesTests {

  @Autowired WebTestClient http;

  static Stream<CatalogModel> models() {
    return ModelCatalog.load(Path.of("target/no-such-data-dir")).all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void generatesAtItsSmallestPreset(CatalogModel model) {
    SizeRule.SizePreset preset = model.size().presets().stream()
        .min((a, b) -> Long.compare((long) a.width() * a.height(), (long) b.width() * b.height())).orElseThrow();
    Map<String, Object> accepted = TaskPolling.submit(http, Map.of("prompt", "test of " + model.id(), "model", model.id(),
        "width", preset.width(), "height", preset.height()));
    Map<String, Object> task = TaskPolling.awaitTerminal(http, (String) accepted.get("task_id"));
    assertThat(task.get("status")).as("%s: %s", model.id(), task.get("error")).isEqualTo("completed");
    Map<String, Object> image = TaskPolling.images(task).get(0);
    assertThat(image).containsEntry("width", preset.width()).containsEntry("height", preset.height());
  }
}
