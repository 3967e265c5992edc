package com.volcstudio.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.volcengine.service.visual.IVisualService;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The account's limits (docs/volcengine/PROTOCOL.md §5.1): too many requests in a second answer
 * 429/50429, too many images generating at once 429/50430, and both recover. Client: the official
 * SDK.
 */
class QuotaTests {

  private static final Map<String, Object> SYNC =
      Map.of("req_key", "high_aes_general_v20_L", "prompt", "cat", "width", 256, "height", 256);
  private static final Map<String, Object> ASYNC =
      Map.of("req_key", "jimeng_t2i_v31", "prompt", "cat");

  private final MutableClock clock = new MutableClock();
  private VolcEmulator emulator;

  @AfterEach
  void stop() {
    emulator.close();
  }

  private IVisualService start(
      Duration latency, EmulatorSettings.Quotas quotas, boolean movableClock) {
    EmulatorSettings settings = OfficialSdk.settings(latency).withQuotas(quotas);
    emulator = movableClock ? VolcEmulator.start(settings, clock) : VolcEmulator.start(settings);
    return OfficialSdk.pointedAt(emulator);
  }

  @Test
  void moreQueriesPerSecondThanTheQuotaAnswer50429UntilTheNextSecond() throws Exception {
    IVisualService sdk = start(Duration.ZERO, new EmulatorSettings.Quotas(0, 0, 2, 0, 0, 0), true);
    Map<String, Object> query =
        Map.of("req_key", "jimeng_t2i_v31", "task_id", "7000000000000000001");
    sdk.cvSync2AsyncGetResult(query);
    sdk.cvSync2AsyncGetResult(query);

    assertThatThrownBy(() -> sdk.cvSync2AsyncGetResult(query))
        .hasMessageContaining("50429")
        .hasMessageContaining("Request Has Reached API Limit, Please Try Later");
    assertThat(OfficialSdk.tree(sdk.cvSync2AsyncSubmitTask(ASYNC)).path("code").asInt())
        .as("another action family has its own budget")
        .isEqualTo(10000);
    clock.advance(Duration.ofSeconds(1));
    assertThat(OfficialSdk.tree(sdk.cvSync2AsyncGetResult(query)).path("code").asInt())
        .isEqualTo(10000);
  }

  @Test
  void unfinishedAsyncTasksHoldConcurrencySlotsUntilDone() throws Exception {
    IVisualService sdk =
        start(Duration.ofSeconds(10), new EmulatorSettings.Quotas(0, 0, 0, 0, 0, 1), true);
    sdk.cvSync2AsyncSubmitTask(ASYNC);

    assertThatThrownBy(() -> sdk.cvSync2AsyncSubmitTask(ASYNC))
        .hasMessageContaining("50430")
        .hasMessageContaining("Request Has Reached API Concurrent Limit, Please Try Later");
    assertThatThrownBy(() -> sdk.cvProcess(SYNC))
        .as("a sync call needs a slot too")
        .hasMessageContaining("50430");
    clock.advance(Duration.ofSeconds(10));
    assertThat(OfficialSdk.tree(sdk.cvSync2AsyncSubmitTask(ASYNC)).path("code").asInt())
        .isEqualTo(10000);
  }

  @Test
  void aSyncCallInFlightHoldsASlotUntilItAnswers() throws Exception {
    IVisualService sdk =
        start(Duration.ofMillis(800), new EmulatorSettings.Quotas(0, 0, 0, 0, 0, 1), false);
    CompletableFuture<Object> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return sdk.cvProcess(SYNC);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(300);

    assertThatThrownBy(() -> sdk.cvProcess(SYNC)).hasMessageContaining("50430");
    assertThat(OfficialSdk.tree(first.get()).path("code").asInt()).isEqualTo(10000);
    assertThat(OfficialSdk.tree(sdk.cvProcess(SYNC)).path("code").asInt()).isEqualTo(10000);
  }
}
