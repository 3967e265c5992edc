package com.volcstudio.generation;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 409: the task is in a state that does not allow the action (e.g. retrying a completed task). */
class TaskConflictException extends ErrorResponseException {

  TaskConflictException(String taskId, String action, TaskStatus status) {
    super(HttpStatus.CONFLICT, problem(taskId, action, status), null);
  }

  private static ProblemDetail problem(String taskId, String action, TaskStatus status) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.CONFLICT,
            "Task " + taskId + " is " + status.wireName() + "; it cannot be " + action + ".");
    problem.setTitle("Task state does not allow this");
    problem.setProperty("status_now", status.wireName());
    return problem;
  }
}
