package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskQueueTests {

  private final TaskQueue queue = new TaskQueue();

  private List<String> drain() {
    List<String> started = new ArrayList<>();
    for (var next = queue.next(); next.isPresent(); next = queue.next()) {
      started.add(next.get());
    }
    return started;
  }

  @Test
  void oneOwnerIsServedFirstComeFirstServed() {
    List.of("t1", "t2", "t3").forEach(id -> queue.add(id, ""));

    assertThat(queue.waitingIds()).containsExactly("t1", "t2", "t3");
    assertThat(drain()).containsExactly("t1", "t2", "t3");
  }

  @Test
  void ownersTakeTurnsSoASingleTaskWaitsForAtMostOneOfEachOtherOwner() {
    for (int i = 1; i <= 5; i++) {
      queue.add("a" + i, "alice");
    }
    queue.add("b1", "bob");
    queue.add("c1", "carol");
    queue.add("c2", "carol");

    List<String> expected = List.of("a1", "b1", "c1", "a2", "c2", "a3", "a4", "a5");
    assertThat(queue.waitingIds()).containsExactlyElementsOf(expected);
    assertThat(queue.position("b1")).contains(2);
    assertThat(queue.position("a5")).contains(8);
    assertThat(queue.counts().waiting()).isEqualTo(8);
    assertThat(drain()).containsExactlyElementsOf(expected);
  }

  @Test
  void aNewcomerWaitsForOneTaskOfTheOwnerWhoseBatchIsRunning() {
    for (int i = 1; i <= 100; i++) {
      queue.add("a" + i, "alice");
    }
    assertThat(queue.next()).contains("a1");
    assertThat(queue.next()).contains("a2");

    queue.add("b1", "bob");

    assertThat(queue.position("b1")).contains(2);
    assertThat(queue.next()).contains("a3");
    assertThat(queue.next()).contains("b1");
  }

  @Test
  void moveToFrontReordersTheOwnersLineAndOnlyAnAdminsMoveTakesTheNextTurn() {
    queue.add("a1", "alice");
    queue.add("a2", "alice");
    queue.add("b1", "bob");
    queue.add("b2", "bob");

    assertThat(queue.moveToFront("b2", false)).isTrue();
    assertThat(queue.waitingIds()).containsExactly("a1", "b2", "a2", "b1");

    assertThat(queue.moveToFront("b1", true)).isTrue();
    assertThat(queue.waitingIds()).containsExactly("b1", "a1", "b2", "a2");
    assertThat(queue.moveToFront("nope", true)).isFalse();
  }

  @Test
  void aRemovedTaskLeavesItsLineAndAnEmptyLineLeavesTheTurns() {
    queue.add("a1", "alice");
    queue.add("b1", "bob");
    queue.add("a2", "alice");

    queue.remove("b1");

    assertThat(queue.waitingIds()).containsExactly("a1", "a2");
    assertThat(queue.add("b1", "bob")).as("removed, so admitted again").isTrue();
    assertThat(queue.add("a1", "alice")).as("already waiting").isFalse();
  }

  @Test
  void aPausedQueueStartsNothing() {
    queue.add("a1", "alice");
    queue.pause();

    assertThat(queue.next()).isEmpty();
    queue.resume();
    assertThat(queue.next()).contains("a1");
    assertThat(queue.runningCount()).isEqualTo(1);
  }
}
