package com.volcstudio.emulator;

import static com.volcstudio.emulator.AsyncLifecycleTests.status;
import static com.volcstudio.emulator.AsyncLifecycleTests.submit;
import static org.assertj.core.api.Assertions.assertThat;

import com.volcengine.service.visual.IVisualService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * With a state folder the emulator keeps its async tasks across a restart, as the real service
 * keeps them for 12 hours while its clients come and go: a task submitted before the restart is
 * done after it, with its image; a cancelled one stays gone; ids are never reused.
 */
class TaskPersistenceTests {

  private final MutableClock clock = new MutableClock();
  @TempDir Path state;
  private VolcEmulator emulator;

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  private IVisualService start() {
    if (emulator != null) {
      emulator.close();
    }
    EmulatorSettings base = OfficialSdk.settings(Duration.ofSeconds(30));
    emulator = VolcEmulator.start(base.withAsync(base.async().withStateDir(state)), clock);
    return OfficialSdk.pointedAt(emulator);
  }

  @Test
  void aTaskSubmittedBeforeARestartIsDoneAfterItWithItsImage() throws Exception {
    String id = submit(start(), "a lighthouse at dusk");

    IVisualService restarted = start();
    String pending = status(result(restarted, id));
    clock.advance(Duration.ofSeconds(30));
    JsonNode done = result(restarted, id);

    assertThat(pending).isEqualTo("in_queue");
    assertThat(status(done)).isEqualTo("done");
    assertThat(done.path("data").path("binary_data_base64")).hasSize(1);
  }

  @Test
  void anAsyncEditKeepsItsImagesAcrossARestartAndIsDoneFromThem() throws Exception {
    byte[] source = ImageEditTests.image(400, 300, java.awt.Color.WHITE);
    byte[] mask = ImageEditTests.grayMask(400, 300);
    String id =
        OfficialSdk.tree(
                start()
                    .cvSync2AsyncSubmitTask(
                        Map.of(
                            "req_key",
                            ImageEdit.JIMENG_INPAINT,
                            "prompt",
                            "a red kite",
                            "binary_data_base64",
                            java.util.List.of(
                                ImageEditTests.base64(source), ImageEditTests.base64(mask)))))
            .path("data")
            .path("task_id")
            .asString();

    IVisualService restarted = start();
    clock.advance(Duration.ofSeconds(30));
    JsonNode done =
        OfficialSdk.tree(
            restarted.cvSync2AsyncGetResult(
                Map.of(
                    "req_key",
                    ImageEdit.JIMENG_INPAINT,
                    "task_id",
                    id,
                    "req_json",
                    OfficialSdk.reqJson(Map.of()))));

    assertThat(status(done)).isEqualTo("done");
    java.awt.image.BufferedImage edited =
        OfficialSdkTests.decode(done.path("data").path("binary_data_base64").get(0).asString());
    assertThat(edited.getWidth()).isEqualTo(400);
    // The left half kept the source's white; the right half was repainted.
    assertThat(new java.awt.Color(edited.getRGB(50, 150)).getRed()).isGreaterThan(240);
  }

  @Test
  void aCancelledTaskStaysForgottenAcrossARestart() throws Exception {
    IVisualService sdk = start();
    String cancelled = submit(sdk, "rain");
    String kept = submit(sdk, "snow");
    sdk.cvCancelTask(Map.of("req_key", "jimeng_t2i_v31", "task_id", cancelled));

    IVisualService restarted = start();

    assertThat(status(result(restarted, cancelled))).isEqualTo("not_found");
    assertThat(status(result(restarted, kept))).isEqualTo("in_queue");
  }

  @Test
  void idsAfterARestartComeAfterEveryIdBefore() throws Exception {
    String before = submit(start(), "first");
    String after = submit(start(), "second");

    assertThat(Long.parseLong(after)).isGreaterThan(Long.parseLong(before));
  }

  @Test
  void aStartDropsTasksPastTheirLifetimeAndATornLastLine() throws Exception {
    String old = submit(start(), "old");
    clock.advance(Duration.ofHours(25));
    String fresh = submit(start(), "fresh");
    Files.writeString(
        state.resolve(TaskJournal.FILE),
        "{\"event\":\"submit\",\"id\":\"9",
        java.nio.file.StandardOpenOption.APPEND);

    IVisualService restarted = start();

    assertThat(status(result(restarted, old))).isEqualTo("not_found");
    assertThat(status(result(restarted, fresh))).isEqualTo("in_queue");
    assertThat(Files.readAllLines(state.resolve(TaskJournal.FILE)))
        .singleElement()
        .asString()
        .contains("\"id\":\"" + fresh + "\"");
  }

  private static JsonNode result(IVisualService sdk, String taskId) throws Exception {
    return AsyncLifecycleTests.result(sdk, taskId, Map.of());
  }
}
