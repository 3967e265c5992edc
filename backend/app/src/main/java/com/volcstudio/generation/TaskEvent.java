package com.volcstudio.generation;

import org.jspecify.annotations.Nullable;

/**
 * An event of the live streams. A task event carries the whole task, so a client never has to
 * merge; a {@code queue.changed} or {@code usage.changed} event has no {@code task}. {@code data}
 * is what is sent: for published events their JSON text, written once for every subscriber (a
 * String goes out as is). {@code id} grows monotonically, also across restarts, so a client can
 * resume with {@code Last-Event-ID}. {@code taskEnded}: the task's status, as the data gives it, is
 * a final one. {@code owner}: whose task it is (only they, and admins who ask for everyone's, get
 * it on {@code /api/v1/events}); null for an event about no task.
 */
record TaskEvent(
    long id,
    String type,
    @Nullable String taskId,
    boolean taskEnded,
    Object data,
    @Nullable String owner) {

  /** A task's event whose data is its view (a snapshot). */
  TaskEvent(long id, String type, TaskView task) {
    this(id, type, task.taskId(), task.status().terminal(), task, null);
  }

  static final String CREATED = "task.created";
  static final String SNAPSHOT = "task.snapshot";
  static final String PROGRESS = "task.progress";
  static final String IMAGE = "task.image";
  static final String COMPLETED = "task.completed";
  static final String FAILED = "task.failed";
  static final String CANCELLED = "task.cancelled";
  static final String DELETED = "task.deleted";
  static final String QUEUE_CHANGED = "queue.changed";
  static final String USAGE_CHANGED = "usage.changed";

  boolean terminal() {
    return type.equals(COMPLETED) || type.equals(FAILED) || type.equals(CANCELLED);
  }
}
