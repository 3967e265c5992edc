package com.volcstudio.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped catalog is consistent: every size it offers can be produced by its own rules. */
class ModelCatalogTests {

  private final ModelCatalog catalog = ModelCatalog.load(Path.of("target/no-such-data-dir"));

  @Test
  void theProposalsModelIsTheDefault() {
    assertThat(catalog.defaultModel().id()).isEqualTo("general_v2.0");
  }

  @Test
  void everyModelsDefaultSizeAndPresetsAreReachable() {
    assertThat(catalog.all()).isNotEmpty().allSatisfy(model -> {
      SizeRule size = model.size();
      assertThat(size.resolve(size.defaultWidth(), size.defaultHeight())).as(model.id() + " default size").isPresent();
      assertThat(size.presets()).as(model.id() + " presets").isNotEmpty()
          .allSatisfy(p -> assertThat(size.resolve(p.width(), p.height())).as(model.id() + " " + p.label()).isPresent());
    });
  }

  @Test
  void superResolutionReachesEvenSizesBeyondTheNativeRangeOnly() {
    SizeRule general = catalog.find("general_v2.0").orElseThrow().size();
    assertThat(general.resolve(1024, 1024)).hasValue(new SizeRule.UpstreamSize(512, 512, true));
    assertThat(general.resolve(600, 400)).hasValue(new SizeRule.UpstreamSize(600, 400, false));
    assertThat(general.resolve(1001, 1000)).isEmpty();
    assertThat(general.resolve(1400, 1400)).isEmpty();
  }

  @Test
  void everyParameterDefaultLiesInsideItsRange() {
    assertThat(catalog.all()).allSatisfy(model -> {
      for (ParamRange range : new ParamRange[] {model.params().steps(), model.params().scale()}) {
        if (range != null) {
          assertThat(range.contains(range.defaultValue().doubleValue())).as(model.id() + " " + range.upstream()).isTrue();
        }
      }
    });
  }
}
