package com.volcstudio.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;

/** The shipped catalog is consistent: every size it offers can be produced by its own rules. */
class ModelCatalogTests {

  private final ModelCatalog catalog = ModelCatalog.load(Path.of("target/no-such-data-dir"));

  @Test
  void theProposalsModelIsTheDefault() {
    assertThat(catalog.defaultModel().id()).isEqualTo("general_v2.0");
  }

  @Test
  void everyGeneratingModelsDefaultSizeAndPresetsAreReachable() {
    assertThat(catalog.serving(Operations.GENERATE))
        .isNotEmpty()
        .allSatisfy(
            model -> {
              SizeRule size = model.size();
              assertThat(size.resolve(size.defaultWidth(), size.defaultHeight()))
                  .as(model.id() + " default size")
                  .isPresent();
              assertThat(size.presets())
                  .as(model.id() + " presets")
                  .isNotEmpty()
                  .allSatisfy(
                      p ->
                          assertThat(size.resolve(p.width(), p.height()))
                              .as(model.id() + " " + p.label())
                              .isPresent());
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
    assertThat(catalog.all())
        .allSatisfy(
            model -> {
              for (ParamRange range :
                  new ParamRange[] {model.params().steps(), model.params().scale()}) {
                if (range != null) {
                  assertThat(range.contains(range.defaultValue().doubleValue()))
                      .as(model.id() + " " + range.upstream())
                      .isTrue();
                }
              }
            });
  }

  @Test
  void imageToImageModelsSayHowManyReferencesTheyTake() {
    assertThat(catalog.find("jimeng_i2i_v3.0").orElseThrow().referenceImages())
        .isEqualTo(
            new ReferenceImageRule(1, 1, "binary_data_base64", (long) (4.7 * 1024 * 1024), 3.0));
    assertThat(catalog.find("seedream_4.0").orElseThrow().referenceImages().max()).isEqualTo(10);
    assertThat(catalog.find("general_v2.0").orElseThrow().referenceImages()).isNull();
  }

  @Test
  void aModelsJsonInTheDataDirReplacesTheBuiltInCatalog(@TempDir Path dataDir) throws Exception {
    String builtIn = builtInCatalog();
    // Keep one model only: the file replaces the catalog, it does not add to it.
    String onlyFirst = builtIn.substring(0, builtIn.indexOf("\n    },\n    {") + 6) + "\n  ]\n}\n";
    Files.writeString(dataDir.resolve("models.json"), onlyFirst);
    assertThat(ModelCatalog.load(dataDir).all())
        .extracting(CatalogModel::id)
        .containsExactly("general_v2.0");
  }

  @Test
  void refusesToStartFromABrokenOverrideNamingTheFile(@TempDir Path dataDir) throws Exception {
    Files.writeString(dataDir.resolve("models.json"), "{\"models\": [ {\"id\": ");
    assertThatThrownBy(() -> ModelCatalog.load(dataDir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(dataDir.resolve("models.json").toAbsolutePath().toString())
        .hasMessageContaining("not valid");
    Files.writeString(dataDir.resolve("models.json"), "{\"models\": []}");
    assertThatThrownBy(() -> ModelCatalog.load(dataDir)).hasMessageContaining("lists no models");
  }

  @Test
  void seedream45IsDeprecatedInFavourOfFiveLiteWithoutAConfirmedRetirement() {
    CatalogModel old =
        ModelCatalog.load(Path.of("target/no-such-dir")).find("seedream_4.5").orElseThrow();
    assertThat(old.lifecycle()).isEqualTo(new Lifecycle(true, null, "seedream_5.0_lite"));
    assertThat(old.lifecycle().retired(java.time.Instant.now())).isFalse();
  }

  @Test
  void aReplacementMustBeAnotherModelOfTheCatalog(@TempDir Path dataDir) throws Exception {
    String builtIn = builtInCatalog();
    Files.writeString(
        dataDir.resolve("models.json"),
        builtIn.replace(
            "\"replaced_by\": \"seedream_5.0_lite\"", "\"replaced_by\": \"seedream_9\""));
    assertThatThrownBy(() -> ModelCatalog.load(dataDir))
        .hasMessageContaining("model 'seedream_4.5': lifecycle.replaced_by 'seedream_9'");
  }

  @Test
  void everyEditingOperationHasADefaultModelServingIt() {
    ModelCatalog builtIn = ModelCatalog.load(Path.of("target/no-such-dir"));
    assertThat(builtIn.operationDefaults()).containsOnlyKeys(Operations.EDITS);
    Operations.EDITS.forEach(
        operation -> {
          CatalogModel first = builtIn.serving(operation).get(0);
          assertThat(first.id()).isEqualTo(builtIn.operationDefaults().get(operation));
          assertThat(first.edit()).as(operation).isNotNull();
          assertThat(first.serves(Operations.GENERATE)).isFalse();
        });
  }

  @Test
  void aDefaultMustServeItsOperationAndOperationsMustBeKnown(@TempDir Path dataDir)
      throws Exception {
    String builtIn = builtInCatalog();
    Files.writeString(
        dataDir.resolve("models.json"),
        builtIn
            .replace("\"upscale\": \"upscale_2x\"", "\"upscale\": \"saliency_seg\"")
            .replace("\"remove_background\"\n      ]", "\"sharpen\"\n      ]"));
    assertThatThrownBy(() -> ModelCatalog.load(dataDir))
        .hasMessageContaining("operation_defaults.upscale names 'saliency_seg'")
        .hasMessageContaining("model 'saliency_seg': unknown operation 'sharpen'");
  }

  private static String builtInCatalog() throws java.io.IOException {
    return new String(
        new ClassPathResource("catalog/models.json").getInputStream().readAllBytes(),
        StandardCharsets.UTF_8);
  }
}
