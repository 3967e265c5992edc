package com.volcstudio.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Crash takeover in cluster mode (issue 18), through real parts: PostgreSQL, two app processes, the
 * emulator on loopback, SIGKILL. See {@link ClusterTakeover}.
 */
class ClusterTakeoverTests {

  @Test
  void aKilledReplicasTasksAreTakenOverWithinTheLeaseAndCompleteOnceWithoutASecondSubmit()
      throws Exception {
    ClusterTakeover.Outcome outcome = ClusterTakeover.run("takeover");
    System.out.println("cluster takeover: " + outcome);

    assertThat(outcome.heldAtKill()).as("tasks the killed replica held").isGreaterThanOrEqualTo(2);
    assertThat(outcome.completed() + outcome.interrupted())
        .as("tasks completed, or failed as submits cut short by the kill (log %s)", outcome.log())
        .isEqualTo(outcome.tasks());
    // A kill between VolcEngine's answer to a submit and its record: the job cannot be found
    // again, so the task fails rather than pay twice (as on one node, CrashRecoveryTests).
    assertThat(outcome.interrupted()).isLessThanOrEqualTo(outcome.heldAtKill());
    assertThat(outcome.duplicateSubmissions()).as("upstream jobs submitted twice").isZero();
    assertThat(outcome.upstreamSubmits())
        .as("upstream submissions")
        .isBetween(outcome.completed(), (long) outcome.tasks());
    assertThat(outcome.imageRows()).as("stored_image rows").isEqualTo(outcome.completed());
    assertThat(outcome.duplicatedRows()).as("(task, index) stored more than once").isZero();
    assertThat(outcome.imageFiles()).as("image files").isEqualTo(outcome.completed());
    // The lease plus one look for work; the rest is a loaded two-core machine's slack (make bench
    // prints the figures).
    assertThat(outcome.takeoverMillis())
        .as("from the kill until every task it held was claimed elsewhere")
        .isLessThan(ClusterTakeover.LEASE.plus(ClusterTakeover.POLL).toMillis() + 5_000);
  }
}
