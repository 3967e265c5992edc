package com.volcstudio.generation;

/**
 * Another process claimed the task meanwhile (this one was stalled past its lease, issue 18): this
 * run stops without a word, the new one goes on.
 */
class ClaimLostException extends RuntimeException {

  ClaimLostException(String taskId) {
    super("task " + taskId + " was claimed by another process", null, false, false);
  }
}
