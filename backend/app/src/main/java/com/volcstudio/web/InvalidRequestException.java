package com.volcstudio.web;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A 400 problem naming every offending field ({@code errors: [{field, reason}]}). */
public class InvalidRequestException extends ErrorResponseException {

  public InvalidRequestException(List<FieldViolation> violations) {
    super(HttpStatus.BAD_REQUEST, problem(violations), null);
  }

  public InvalidRequestException(String field, String reason) {
    this(List.of(new FieldViolation(field, reason)));
  }

  static ProblemDetail problem(List<FieldViolation> violations) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, summary(violations));
    problem.setTitle("Invalid request");
    problem.setProperty("errors", violations);
    return problem;
  }

  private static String summary(List<FieldViolation> violations) {
    return violations.stream()
        .map(v -> v.field() + ": " + v.reason())
        .reduce((a, b) -> a + "; " + b)
        .orElse("invalid request");
  }
}
