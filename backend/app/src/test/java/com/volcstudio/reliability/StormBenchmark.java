package com.volcstudio.reliability;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 19's figure, printed by make bench: 40 tasks through the storm suite's storm (30% 5xx, 10%
 * timeouts, 5% unreadable bodies, bursts of 50429/50430), against the least time the account's
 * quota allows, and the upstream generation calls spent per completed image.
 */
@Tag("bench")
class StormBenchmark {

  @Test
  void fortyTasksThroughAStormAgainstTheAccountsQuota() throws Exception {
    UpstreamStormTests.Storm storm = new UpstreamStormTests().storm(40);
    System.out.printf(
        "BENCH: storm, %d tasks: %d completed; makespan %.1f s against a floor of %.1f s at the"
            + " account's quota (%.2fx); %.2f generation calls per completed image (goal <= 1.5)%n",
        storm.tasks(),
        storm.completed(),
        storm.makespanSeconds(),
        storm.floorSeconds(),
        storm.makespanSeconds() / storm.floorSeconds(),
        (double) storm.generationCalls() / Math.max(1, storm.completed()));
  }
}
