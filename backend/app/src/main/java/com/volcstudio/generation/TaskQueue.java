package com.volcstudio.generation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The order in which waiting tasks will run, and whether the queue is paused. In memory: the
 * database knows which tasks are pending, and a restart queues them again oldest first; a pause is
 * also stored ({@link QueuePause}), and the dispatcher applies it here. Kept apart from the
 * dispatcher so task views can show a position without depending on what runs the tasks.
 *
 * <p>Fair turns (issue 17): each owner has a line of their own, in the order they submitted, and
 * the lines take turns, one task each, so a single task waits for at most one task of every other
 * owner, however many one of them has queued. With one owner (login off, or one person) this is the
 * plain first-come order it always was.
 */
@Component
class TaskQueue {

  /** Each owner's waiting tasks; the map's order is the order of the next turns. */
  private final LinkedHashMap<String, Deque<String>> lines = new LinkedHashMap<>();

  private final Map<String, String> ownerOf = new HashMap<>();

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

  synchronized boolean add(String taskId, String owner) {
    if (!admitted.add(taskId)) {
      return false;
    }
    lines.computeIfAbsent(owner, o -> new ArrayDeque<>()).addLast(taskId);
    ownerOf.put(taskId, owner);
    onChange.run();
    return true;
  }

  /** The next task to start, unless the queue is paused or empty: the first of the next turn. */
  synchronized Optional<String> next() {
    if (paused || lines.isEmpty()) {
      return Optional.empty();
    }
    String owner = lines.keySet().iterator().next();
    Deque<String> line = lines.remove(owner);
    String next = line.pollFirst();
    if (!line.isEmpty()) {
      lines.put(owner, line); // to the back: everybody else's turn first
    }
    ownerOf.remove(next);
    onChange.run();
    return Optional.of(next);
  }

  synchronized void finished(String taskId) {
    if (admitted.remove(taskId)) {
      onChange.run();
    }
  }

  /** Takes a waiting task out (it was cancelled or deleted). */
  synchronized void remove(String taskId) {
    String owner = ownerOf.remove(taskId);
    if (owner == null) {
      return;
    }
    Deque<String> line = lines.get(owner);
    line.remove(taskId);
    if (line.isEmpty()) {
      lines.remove(owner);
    }
    admitted.remove(taskId);
    onChange.run();
  }

  /** First in its owner's line; with {@code nextTurn}, that line's turn comes next too. */
  synchronized boolean moveToFront(String taskId, boolean nextTurn) {
    String owner = ownerOf.get(taskId);
    if (owner == null) {
      return false;
    }
    Deque<String> line = lines.get(owner);
    line.remove(taskId);
    line.addFirst(taskId);
    if (!nextTurn) {
      onChange.run();
      return true;
    }
    lines.remove(owner);
    var rest = new LinkedHashMap<>(lines);
    lines.clear();
    lines.put(owner, line);
    lines.putAll(rest);
    onChange.run();
    return true;
  }

  /** 1 for the next task to start; empty when the task is not waiting here. */
  synchronized Optional<Integer> position(String taskId) {
    int position = waitingIds().indexOf(taskId);
    return position < 0 ? Optional.empty() : Optional.of(position + 1);
  }

  /** Tasks taken from the queue and not finished yet. */
  synchronized int runningCount() {
    return admitted.size() - ownerOf.size();
  }

  /** The waiting tasks in the order they will start, the turns taken into account. */
  synchronized List<String> waitingIds() {
    List<String> order = new ArrayList<>(ownerOf.size());
    List<Iterator<String>> turns = new ArrayList<>();
    lines.values().forEach(line -> turns.add(line.iterator()));
    while (!turns.isEmpty()) {
      for (Iterator<Iterator<String>> turn = turns.iterator(); turn.hasNext(); ) {
        Iterator<String> line = turn.next();
        if (line.hasNext()) {
          order.add(line.next());
        }
        if (!line.hasNext()) {
          turn.remove();
        }
      }
    }
    return order;
  }

  /** {@link #waitingIds()} of one owner: their places among everybody's are kept. */
  synchronized List<String> waitingIds(String owner) {
    return waitingIds().stream().filter(id -> owner.equals(ownerOf.get(id))).toList();
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
    return new Counts(ownerOf.size(), admitted.size() - ownerOf.size(), paused);
  }

  synchronized boolean paused() {
    return paused;
  }
}
