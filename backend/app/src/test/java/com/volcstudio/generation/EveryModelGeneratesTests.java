package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.catalog.Operations;
import com.volcstudio.catalog.SizeRule;
import com.volcstudio.upload.TestImages;
import com.volcstudio.upload.TestUploads;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Every model of the catalog generates through our client in demo mode, at the size it was asked
 * for; image-to-image models with an uploaded reference.
 */
@SharedDemoStudio
class EveryModelGeneratesTests {

  @Autowired WebTestClient http;

  static Stream<CatalogModel> models() {
    // The editing models: EditApiTests.
    return ModelCatalog.load(Path.of("target/no-such-data-dir"))
        .serving(Operations.GENERATE)
        .stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void generatesAtItsSmallestPreset(CatalogModel model) {
    SizeRule.SizePreset preset =
        model.size().presets().stream()
            .min(
                (a, b) ->
                    Long.compare((long) a.width() * a.height(), (long) b.width() * b.height()))
            .orElseThrow();
    Map<String, Object> body =
        new HashMap<>(
            Map.of(
                "prompt",
                "test of " + model.id(),
                "model",
                model.id(),
                "width",
                preset.width(),
                "height",
                preset.height()));
    // An image-to-image model gets the fewest reference images it takes.
    int references = model.referenceImages() == null ? 0 : model.referenceImages().min();
    if (references > 0) {
      body.put(
          "reference_image_ids", IntStream.range(0, references).mapToObj(i -> upload()).toList());
    }
    Map<String, Object> accepted = TaskPolling.submit(http, body);
    Map<String, Object> task = TaskPolling.awaitTerminal(http, (String) accepted.get("task_id"));
    assertThat(task.get("status"))
        .as("%s: %s", model.id(), task.get("error"))
        .isEqualTo("completed");
    Map<String, Object> image = TaskPolling.images(task).get(0);
    assertThat(image)
        .containsEntry("width", preset.width())
        .containsEntry("height", preset.height());
  }

  private String upload() {
    // Square, so a model whose output follows the reference's ratio (SeedEdit "adaptive") makes
    // 1024².
    return TestUploads.upload(http, TestImages.png(640, 640));
  }
}
