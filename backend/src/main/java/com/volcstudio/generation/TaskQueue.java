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
 * database knows which tasks are pending, and a restart queues them again oldest first. Kept apart from
 * the dispatcher so task views can show a position without depending on what runs the tasks.
 */
@Component
class TaskQueue {

  private final Deque<String> waiting = new ArrayDeque<>();
  /** Ids waiting or running, so a task resumed at start-up and submitted at the same moment runs once. */
  private final Set<String> admitted = new HashSet<>();
  private boolean paused;

  synchronized boolean add(String taskId) {
    if (!admitted.add(taskId)) {
      return false;
    }
    waiting.addLast(taskId);
    return true;
  }

  /** The next task to start, unless the queue is paused or empty. */
  synchronized Optional<String> next() {
    return paused ? Optional.empty() : Optional.ofNullable(waiting.pollFirst());
  }

  synchronized void finished(String taskId) {
    admitted.remove(taskId);
  }

  /** Takes a waiting task out (it was cancelled or deleted). */
  synchronized void remove(String taskId) {
    if (waiting.remove(taskId)) {
      admitted.remove(taskId);
    }
  }

  synchronized boolean moveToFront(String taskId) {
    if (!waiting.remove(taskId)) {
      return false;
    }
    waiting.addFirst(taskId);
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
  }

  synchronized void resume() {
    paused = false;
  }

  synchronized boolean paused() {
    return paused;
  }
}
