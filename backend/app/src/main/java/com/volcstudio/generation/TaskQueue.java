package com.volcstudio.generation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The order in which waiting tasks will run, and whether the queue is paused. In memory only: the
 * database knows which tasks are pending, and a restart queues them again oldest first. Kept apart
 * from the dispatcher so task views can show a position without depending on what runs the tasks.
 */
@Component
class TaskQueue {

  private final Deque<String> waiting = new ArrayDeque<>();

  /**
   * Ids waiting or running, so a task resumed at start-up and submitted at the same moment runs
   * once.
   */
  private final Set<String> admitted = new HashSet<>();

  private boolean paused;

  /** Told after every change of length, running count or pause (QueueAnnouncer coalesces them). */
  private volatile Runnable onChange = () -> {};

  void onChange(Runnable listener) {
    this.onChange = listener;
  }

  synchronized boolean add(String taskId) {
    if (!admitted.add(taskId)) {
      return false;
    }
    waiting.addLast(taskId);
    onChange.run();
    return true;
  }

  /** The next task to start, unless the queue is paused or empty. */
  synchronized Optional<String> next() {
    Optional<String> next = paused ? Optional.empty() : Optional.ofNullable(waiting.pollFirst());
    next.ifPresent(started -> onChange.run());
    return next;
  }

  synchronized void finished(String taskId) {
    if (admitted.remove(taskId)) {
      onChange.run();
    }
  }

  /** Takes a waiting task out (it was cancelled or deleted). */
  synchronized void remove(String taskId) {
    if (waiting.remove(taskId)) {
      admitted.remove(taskId);
      onChange.run();
    }
  }

  synchronized boolean moveToFront(String taskId) {
    if (!waiting.remove(taskId)) {
      return false;
    }
    waiting.addFirst(taskId);
    onChange.run();
    return true;
  }

  /** 1 for the next task to start; empty when the task is not waiting here. */
  synchronized Optional<Integer> position(String taskId) {
    int position = 1;
    for (String id : waiting) {
      if (id.equals(taskId)) {
        return Optional.of(position);
      }
      position++;
    }
    return Optional.empty();
  }

  /** Tasks taken from the queue and not finished yet. */
  synchronized int runningCount() {
    return admitted.size() - waiting.size();
  }

  synchronized List<String> waitingIds() {
    return new ArrayList<>(waiting);
  }

  synchronized void pause() {
    paused = true;
    onChange.run();
  }

  synchronized void resume() {
    paused = false;
    onChange.run();
  }

  /** Tasks waiting and running, and whether the queue is paused, read together. */
  record Counts(int waiting, int running, boolean paused) {}

  synchronized Counts counts() {
    return new Counts(waiting.size(), admitted.size() - waiting.size(), paused);
  }

  synchronized boolean paused() {
    return paused;
  }
}
