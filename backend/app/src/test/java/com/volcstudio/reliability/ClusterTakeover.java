package com.volcstudio.reliability;

import com.volcstudio.database.PostgresServer;
import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One crash of a replica in cluster mode (issue 18): two app processes on one PostgreSQL database
 * and one DATA_DIR, against one emulated VolcEngine account with asynchronous jobs that take a few
 * seconds. Tasks are submitted to both; once the first replica holds running tasks whose jobs
 * VolcEngine already has, it is killed with SIGKILL, and the second must take them over when their
 * lease runs out and finish them by polling those jobs, never submitting one again.
 */
final class ClusterTakeover {

  /** An asynchronous model, so that "submitted twice" is something the emulator counts. */
  private static final String MODEL = "jimeng_t2i_v3.1";

  static final Duration LEASE = Duration.ofSeconds(4);
  static final Duration POLL = Duration.ofMillis(500);

  private static final int ON_THE_VICTIM = 8;
  private static final int ON_THE_SURVIVOR = 4;
  static final int TASKS = ON_THE_VICTIM + ON_THE_SURVIVOR;

  /** What one crash showed. */
  record Outcome(
      int tasks,
      long completed,
      long interrupted,
      int heldAtKill,
      long takeoverMillis,
      long imageRows,
      long duplicatedRows,
      long imageFiles,
      long upstreamSubmits,
      long duplicateSubmissions,
      String log) {}

  private ClusterTakeover() {}

  static Outcome run(String name) throws Exception {
    String run = name + "-" + System.nanoTime();
    Path dataDir = Files.createDirectories(Path.of("target/test-data", run)).toAbsolutePath();
    Path log = Path.of("target/reliability", run + ".log");
    EmulatorSettings settings =
        EmulatorSettings.loopback(
                0,
                EmulatorSettings.DEFAULT_ACCESS_KEY,
                EmulatorSettings.DEFAULT_SECRET_KEY,
                Duration.ofMillis(3000))
            .withJitter(new EmulatorSettings.Jitter(Duration.ofMillis(1000), 7));
    try (PostgresServer postgres = PostgresServer.start("studio");
        VolcEmulator emulator = VolcEmulator.start(settings)) {
      Map<String, String> env = CrashRecoveryTests.liveEnvironment(emulator, dataDir);
      env.put("DATABASE_URL", postgres.r2dbcUrl("studio"));
      env.put("DATABASE_USERNAME", "postgres");
      env.put("TASK_LEASE", LEASE.toMillis() + "ms");
      env.put("TASK_CLAIM_POLL", POLL.toMillis() + "ms");
      // Room for every task on either replica: the takeover waits for its lease, not for a slot.
      env.put("MAX_CONCURRENT_TASKS", String.valueOf(TASKS));
      env.put("VOLC_QPS", "50");
      env.put("VOLC_QUERY_QPS", "50");
      env.put("VOLC_CONCURRENCY", "50");
      // One replica migrates the database first; the second then finds it ready.
      AppProcess victim = AppProcess.start(AppProcess.APP_MAIN, env, List.of(), log);
      AppProcess survivor = null;
      try {
        survivor = AppProcess.start(AppProcess.APP_MAIN, env, List.of(), log);
        Api onVictim = new Api(victim.base());
        Api onSurvivor = new Api(survivor.base());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
          Api api = i < ON_THE_VICTIM ? onVictim : onSurvivor;
          ids.add(
              api.submit(
                  Map.of(
                      "prompt",
                      "takeover " + run + " #" + i,
                      "model",
                      MODEL,
                      "width",
                      512,
                      "height",
                      512,
                      "seed",
                      2000 + i)));
        }
        String victimHolder = "%/" + victim.pid() + "/%";
        try (Connection db = postgres.connect("studio")) {
          // Killed once at least two of its tasks have jobs VolcEngine accepted: those must be
          // polled, not submitted again, by whoever goes on with them.
          long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (count(db, HELD_WITH_JOBS, victimHolder) < 2) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("the replica never held two submitted jobs; " + log);
            }
            Thread.sleep(50);
          }
          Thread.sleep(200);
          victim.kill();
          long killed = System.nanoTime();
          int held = (int) count(db, HELD, victimHolder);
          while (count(db, HELD, victimHolder) > 0) {
            if (System.nanoTime() - killed > Duration.ofSeconds(60).toNanos()) {
              throw new IllegalStateException("nothing took the dead replica's tasks; " + log);
            }
            Thread.sleep(50);
          }
          long takeover = Duration.ofNanos(System.nanoTime() - killed).toMillis();

          Map<String, JsonNode> finished =
              CrashRecoveryTests.awaitAll(onSurvivor, ids, Duration.ofSeconds(120));
          long completed =
              finished.values().stream()
                  .filter(t -> t.path("status").asString().equals("completed"))
                  .count();
          long interrupted =
              finished.values().stream()
                  .filter(
                      t -> t.path("error").path("code").asString("").equals("SUBMIT_INTERRUPTED"))
                  .count();
          JsonNode stats = new Api(emulator.endpoint()).get("/_emulator/stats").json();
          return new Outcome(
              TASKS,
              completed,
              interrupted,
              held,
              takeover,
              count(db, "SELECT COUNT(*) FROM stored_image", null),
              count(
                  db,
                  "SELECT COUNT(*) FROM (SELECT task_id, image_index FROM stored_image"
                      + " GROUP BY task_id, image_index HAVING COUNT(*) > 1) AS d",
                  null),
              CrashRecoveryTests.countFiles(dataDir.resolve("images")),
              stats.path("async_tasks_submitted").asLong(),
              stats.path("duplicate_submissions").asLong(),
              log.toString());
        }
      } finally {
        victim.close();
        if (survivor != null) {
          survivor.close();
        }
      }
    }
  }

  private static final String HELD =
      "SELECT COUNT(*) FROM generation_task WHERE status IN ('pending', 'running')"
          + " AND claimed_by LIKE ?";

  private static final String HELD_WITH_JOBS =
      "SELECT COUNT(*) FROM generation_task t JOIN upstream_job j ON j.task_id = t.id"
          + " WHERE t.status = 'running' AND j.upstream_task_id IS NOT NULL AND t.claimed_by LIKE ?";

  private static long count(Connection db, String sql, String holder) throws Exception {
    try (PreparedStatement statement = db.prepareStatement(sql)) {
      if (holder != null) {
        statement.setString(1, holder);
      }
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
