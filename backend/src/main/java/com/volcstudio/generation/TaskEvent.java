package com.volcstudio.generation;

/**
 * A change to a task, as streamed to clients. Every event carries the whole task, so a client never
 * has to merge; {@code id} grows monotonically, also across restarts, so a client can resume with
 * {@code Last-Event-ID}.
 */
record TaskEvent(long id, String type, TaskView task) {

  static final String CREATED = "task.created";
  static final String SNAPSHOT = "task.snapshot";
  static final String PROGRESS = "task.progress";
  static final String IMAGE = "task.image";
  static final String COMPLETED = "task.completed";
  static final String FAILED = "task.failed";
  static final String CANCELLED = "task.cancelled";
  static final String DELETED = "task.deleted";

  boolean terminal() {
    return type.equals(COMPLETED) || type.equals(FAILED) || type.equals(CANCELLED);
  }
}
