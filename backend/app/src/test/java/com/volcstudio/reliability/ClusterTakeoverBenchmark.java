package com.volcstudio.reliability;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's takeover figure: three crashes of a replica ({@link ClusterTakeover}), the time from
 * the SIGKILL until another replica had claimed every task it held, p50 and max.
 */
@Tag("bench")
class ClusterTakeoverBenchmark {

  @Test
  void takeoverAfterAKill() throws Exception {
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ClusterTakeover.Outcome outcome = ClusterTakeover.run("takeover-bench-" + i);
      System.out.println("cluster takeover run " + i + ": " + outcome);
      millis.add(outcome.takeoverMillis());
    }
    List<Long> sorted = millis.stream().sorted().toList();
    System.out.printf(
        "BENCH cluster takeover after kill -9 (lease %d ms, poll %d ms, 3 runs): p50 %d ms, max %d"
            + " ms%n",
        ClusterTakeover.LEASE.toMillis(),
        ClusterTakeover.POLL.toMillis(),
        sorted.get(1),
        sorted.get(2));
  }
}
