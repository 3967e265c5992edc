package com.volcstudio.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A 403 problem: the caller may not do this, whatever the id (so it tells nothing of others'). */
public class ForbiddenException extends ErrorResponseException {

  public ForbiddenException(String detail) {
    super(
        HttpStatus.FORBIDDEN, ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, detail), null);
  }
}
