package com.volcstudio.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7's upstream storm: the emulator answers 30% of calls with a 5xx, 10% with a timeout, 5%
 * with a body that is not JSON, and every few seconds a burst of 50429/50430. Every task must end
 * completed (within its retry budget) or failed with the explanation of a fault that was injected
 * (code, zh and en message); none may be left pending or running; and BlockHound, installed in the
 * app's JVM, must see no blocking call on an event-loop thread.
 */
class UpstreamStormTests {

  private static final int MAX_RETRIES = 3;

  /** The codes a task may fail with here: the injected faults, as the app names them. */
  private static final Set<String> INJECTED =
      Set.of(
          "50500",
          "50501",
          "ServiceUnavailableTemp",
          "UPSTREAM_TIMEOUT",
          "UPSTREAM_MALFORMED",
          "50429",
          "50430");

  @Test
  void everyTaskEndsCompletedOrExplainedAndNoEventLoopBlocks() throws Exception {
    storm(20);
  }

  @Test
  @Tag("soak")
  void aLongerStormLeavesNoTaskStuck() throws Exception {
    storm(80);
  }

  private void storm(int taskCount) throws Exception {
    long seed = Long.getLong("fault.seed", System.nanoTime());
    Random random = new Random(seed);
    String run = "storm-" + taskCount + "-" + System.nanoTime();
    Path dataDir = Files.createDirectories(Path.of("target/test-data", run)).toAbsolutePath();
    Path log = Path.of("target/reliability", run + ".log");
    EmulatorSettings settings =
        EmulatorSettings.loopback(
                0,
                EmulatorSettings.DEFAULT_ACCESS_KEY,
                EmulatorSettings.DEFAULT_SECRET_KEY,
                Duration.ofMillis(300))
            .withJitter(new EmulatorSettings.Jitter(Duration.ofMillis(300), seed));
    ScheduledExecutorService bursts = Executors.newSingleThreadScheduledExecutor();
    long started = System.nanoTime();
    try (VolcEmulator emulator = VolcEmulator.start(settings)) {
      Api control = new Api(emulator.endpoint());
      injectRates(
          control,
          new LinkedHashMap<>(Map.of()) {
            {
              put("50500", 0.10);
              put("50501", 0.10);
              put("ServiceUnavailableTemp", 0.10);
              put("timeout", 0.10);
              put("malformed", 0.05);
            }
          });
      Map<String, String> env = CrashRecoveryTests.liveEnvironment(emulator, dataDir);
      env.put("VOLC_READ_TIMEOUT", "2s");
      env.put("VOLC_MAX_RETRIES", String.valueOf(MAX_RETRIES));
      env.put("APP_LOG_LEVEL", "WARN");
      // All tasks at once: the storm meets every one of them, and the run takes as long as the
      // slowest task.
      env.put("MAX_CONCURRENT_TASKS", String.valueOf(taskCount));
      // -Dfault.blockhound=false runs the app without BlockHound, to tell its effects from the
      // app's own.
      boolean blockHound = Boolean.parseBoolean(System.getProperty("fault.blockhound", "true"));
      try (AppProcess app =
          blockHound
              ? AppProcess.start(
                  BlockHoundLauncher.class.getName(),
                  env,
                  List.of("-XX:+AllowRedefinitionToAddDeleteMethods"),
                  log)
              : AppProcess.start(AppProcess.APP_MAIN, env, List.of(), log)) {
        long appStart = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        Api api = new Api(app.base());
        // Every 8 s, once the last burst is used up, a burst of 3 quota answers in a row: QPS
        // (50429) or
        // concurrency (50430). Counted rules come after the rate rules, so they take the calls
        // those spare.
        bursts.scheduleWithFixedDelay(
            () -> {
              try {
                boolean burstPending = false;
                for (JsonNode rule : control.get("/_emulator/faults").json().path("faults")) {
                  burstPending |= !rule.path("count").isNull();
                }
                if (!burstPending) {
                  control.postJson(
                      "/_emulator/faults",
                      Map.of("code", random.nextBoolean() ? 50429 : 50430, "count", 3));
                }
              } catch (Exception e) {
                // the emulator is closing
              }
            },
            2,
            8,
            TimeUnit.SECONDS);
        List<String> ids = new ArrayList<>();
        int syncTasks = 0;
        for (int i = 0; i < taskCount; i++) {
          // Half synchronous (CVProcess), half asynchronous (submit + polls): both paths meet the
          // storm.
          boolean async = i % 2 == 1;
          syncTasks += async ? 0 : 1;
          ids.add(
              api.submit(
                  Map.of(
                      "prompt",
                      "storm " + run + " #" + i,
                      "model",
                      async ? "jimeng_t2i_v3.1" : "general_v2.0",
                      "width",
                      512,
                      "height",
                      512,
                      "seed",
                      5000 + i)));
        }
        Map<String, JsonNode> finished;
        try {
          finished = CrashRecoveryTests.awaitAll(api, ids, Duration.ofSeconds(180));
        } catch (java.io.IOException | RuntimeException e) {
          app.threadDump();
          throw new AssertionError("the app stopped answering (thread dump in " + log + ")", e);
        }
        bursts.shutdownNow();

        int completed = 0;
        int failed = 0;
        int stuck = 0;
        Map<String, Integer> failureCodes = new TreeMap<>();
        List<String> wrongExplanations = new ArrayList<>();
        for (JsonNode task : finished.values()) {
          switch (task.path("status").asString()) {
            case "completed" -> completed++;
            case "failed" -> {
              failed++;
              JsonNode error = task.path("error");
              String code = error.path("code").asString();
              failureCodes.merge(code, 1, Integer::sum);
              if (!INJECTED.contains(code)
                  || error.path("message_zh").asString().isBlank()
                  || error.path("message_en").asString().isBlank()
                  || !error.path("retryable").asBoolean()) {
                wrongExplanations.add(task.path("task_id").asString() + " " + error);
              }
            }
            default -> stuck++;
          }
        }
        JsonNode stats = control.get("/_emulator/stats").json();
        long cvProcessCalls = stats.path("requests").path("CVProcess").asLong();
        long submitCalls = stats.path("requests").path("CVSync2AsyncSubmitTask").asLong();
        int asyncTasks = taskCount - syncTasks;
        List<String> lines = Files.readAllLines(log);
        long blockingCalls =
            lines.stream().filter(l -> l.startsWith(BlockHoundLauncher.MARKER)).count();
        boolean blockHoundActive = lines.contains(BlockHoundLauncher.ACTIVE);
        System.out.printf(
            "FAULT-SUITE: storm tasks=%d completed=%d failed=%d stuck=%d success_rate=%.1f%% "
                + "wrong_explanations=%d failure_codes=%s blocking_calls=%d cvprocess_calls=%d (budget %d) submit_calls=%d (budget %d) "
                + "emulator_answers=%s seed=%d app_start=%ds elapsed=%ds%n",
            taskCount,
            completed,
            failed,
            stuck,
            100.0 * completed / taskCount,
            wrongExplanations.size(),
            failureCodes,
            blockingCalls,
            cvProcessCalls,
            syncTasks * (MAX_RETRIES + 1),
            submitCalls,
            asyncTasks * (MAX_RETRIES + 1),
            stats.path("answers"),
            seed,
            appStart,
            Duration.ofNanos(System.nanoTime() - started).toSeconds());
        wrongExplanations.stream()
            .limit(10)
            .forEach(w -> System.out.println("FAULT-SUITE:   " + w));

        assertThat(stuck)
            .as("tasks neither completed nor failed (seed %d, log %s)", seed, log)
            .isZero();
        assertThat(wrongExplanations)
            .as("failures without the explanation of an injected fault")
            .isEmpty();
        assertThat(blockHoundActive || !blockHound)
            .as("BlockHound caught its self-test call (log %s)", log)
            .isTrue();
        assertThat(blockingCalls)
            .as("blocking calls on event-loop threads (BlockHound; see %s)", log)
            .isZero();
        assertThat(cvProcessCalls)
            .as("CVProcess calls within the retry budget")
            .isLessThanOrEqualTo(syncTasks * (MAX_RETRIES + 1L));
        assertThat(submitCalls)
            .as("submits within the retry budget")
            .isLessThanOrEqualTo(asyncTasks * (MAX_RETRIES + 1L));
        assertThat(completed)
            .as("most tasks get through a storm their retries can absorb")
            .isGreaterThan(taskCount / 2);
      }
    } finally {
      bursts.shutdownNow();
    }
  }

  /**
   * Fault rules are tried in order and the first hit wins, so each rule's probability is its share
   * of the requests that no earlier rule took: then the overall rates are the ones named.
   */
  private static void injectRates(Api control, Map<String, Double> rates) throws Exception {
    double taken = 0;
    for (Map.Entry<String, Double> rate : rates.entrySet()) {
      double probability = rate.getValue() / (1 - taken);
      taken += rate.getValue();
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put(
          "code",
          rate.getKey().chars().allMatch(Character::isDigit)
              ? Integer.parseInt(rate.getKey())
              : rate.getKey());
      rule.put("probability", probability);
      if (rate.getKey().equals("timeout")) {
        rule.put("hold_ms", 4000);
      }
      Api.Answer answer = control.postJson("/_emulator/faults", rule);
      assertThat(answer.status()).as("fault rule %s: %s", rule, answer.body()).isEqualTo(201);
    }
  }
}
