package com.volcstudio.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A 404 problem for an id we do not know. */
public class NotFoundException extends ErrorResponseException {

  public NotFoundException(String what, String id) {
    super(HttpStatus.NOT_FOUND, problem(what, id), null);
  }

  private static ProblemDetail problem(String what, String id) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.NOT_FOUND, "No " + what + " with id '" + id + "'.");
    problem.setTitle(what.substring(0, 1).toUpperCase() + what.substring(1) + " not found");
    return problem;
  }
}
