package com.volcstudio.preset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.r2dbc.test.autoconfigure.DataR2dbcTest;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.context.annotation.Import;
import reactor.test.StepVerifier;

/**
 * The {@code preset} table through its repository alone: the real H2 file database with the real
 * migrations, and nothing of the web or the rest of the app.
 */
@DataR2dbcTest(properties = "DATA_DIR=target/test-data/${random.uuid}")
@ImportAutoConfiguration(FlywayAutoConfiguration.class)
@Import(PresetRepository.class)
class PresetRepositoryTests {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @Autowired PresetRepository presets;

  @Test
  void listsPresetsByNameWhateverTheirCase() {
    StepVerifier.create(
            presets
                .insert(preset("p-b", "banana"), "")
                .then(presets.insert(preset("p-a", "Apple"), ""))
                .then(presets.insert(preset("p-c", "cherry"), ""))
                .thenMany(presets.findAll("").map(Preset::name)))
        .expectNext("Apple", "banana", "cherry")
        .verifyComplete();
  }

  @Test
  void keepsEveryParameterAsTheApiSpeaksIt() {
    PresetParams params =
        new PresetParams(
            "general_v2.0_pro",
            1024,
            768,
            2,
            42L,
            20,
            3.5,
            "模糊, 低质量",
            Map.of("use_pre_llm", true, "use_sr", false));
    Preset saved = new Preset("p-full", "水彩", params, NOW, NOW);

    StepVerifier.create(presets.insert(saved, "").then(presets.findById("p-full", null)))
        .expectNext(saved)
        .verifyComplete();
  }

  @Test
  void updateAndDeleteTellWhetherThePresetExisted() {
    PresetParams replaced =
        new PresetParams("general_v3.0", null, null, null, null, null, null, null, null);
    Instant later = NOW.plusSeconds(60);

    StepVerifier.create(
            presets
                .insert(preset("p-upd", "old name"), "")
                .then(presets.update("p-upd", "", "new name", replaced, later)))
        .expectNext(true)
        .verifyComplete();
    StepVerifier.create(presets.findById("p-upd", ""))
        .assertNext(
            preset -> {
              assertThat(preset.name()).isEqualTo("new name");
              assertThat(preset.params()).isEqualTo(replaced);
              assertThat(preset.createdAt()).isEqualTo(NOW);
              assertThat(preset.updatedAt()).isEqualTo(later);
            })
        .verifyComplete();
    StepVerifier.create(presets.update("p-none", null, "x", replaced, later))
        .expectNext(false)
        .verifyComplete();
    StepVerifier.create(presets.delete("p-upd", null).then(presets.delete("p-upd", null)))
        .expectNext(false)
        .verifyComplete();
    StepVerifier.create(presets.findById("p-upd", null)).verifyComplete();
  }

  @Test
  void aPresetIsAnotherOwnersOnlyAsIfItDidNotExist() {
    PresetParams replaced =
        new PresetParams("general_v3.0", null, null, null, null, null, null, null, null);

    StepVerifier.create(
            presets
                .insert(preset("p-alice", "portrait"), "alice")
                // Names are unique per owner: bob may have a "portrait" of his own.
                .then(presets.insert(preset("p-bob", "portrait"), "bob"))
                .thenMany(presets.findAll("bob").map(Preset::id)))
        .expectNext("p-bob")
        .verifyComplete();
    StepVerifier.create(presets.findById("p-alice", "bob")).verifyComplete();
    StepVerifier.create(presets.update("p-alice", "bob", "taken", replaced, NOW))
        .expectNext(false)
        .verifyComplete();
    StepVerifier.create(presets.delete("p-alice", "bob")).expectNext(false).verifyComplete();
    StepVerifier.create(presets.findById("p-alice", "alice").map(Preset::name))
        .expectNext("portrait")
        .verifyComplete();
  }

  private static Preset preset(String id, String name) {
    return new Preset(
        id,
        name,
        new PresetParams("general_v2.0_pro", 512, 512, 1, null, null, null, null, null),
        NOW,
        NOW);
  }
}
