package com.volcstudio.usage;

import com.volcstudio.web.FieldViolation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A 429 problem: the submit would take this month's images over {@code MONTHLY_IMAGE_QUOTA}. It
 * says how many are used, reserved by queued tasks and asked for, so the user can ask for fewer,
 * cancel queued tasks or raise the limit; {@code Retry-After} points at the first of next month.
 */
public class QuotaExceededException extends ErrorResponseException {

  public static final String CODE = "MONTHLY_QUOTA_EXCEEDED";

  QuotaExceededException(long used, long reserved, int limit, int requested, Instant resetsAt) {
    super(HttpStatus.TOO_MANY_REQUESTS, problem(used, reserved, limit, requested, resetsAt), null);
    long seconds = Math.max(1, resetsAt.getEpochSecond() - Instant.now().getEpochSecond());
    getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
  }

  private static ProblemDetail problem(
      long used, long reserved, int limit, int requested, Instant resetsAt) {
    long left = Math.max(0, limit - used - reserved);
    String reason =
        "would take this month's images over MONTHLY_IMAGE_QUOTA ("
            + limit
            + "): "
            + used
            + " made, "
            + reserved
            + " queued, "
            + requested
            + " asked for, "
            + left
            + " left";
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.TOO_MANY_REQUESTS,
            "Monthly image quota reached: "
                + used
                + " made and "
                + reserved
                + " queued of "
                + limit
                + " this month; this request asks for "
                + requested
                + ". Ask for at most "
                + left
                + ", cancel queued tasks, or raise MONTHLY_IMAGE_QUOTA.");
    problem.setTitle("Monthly image quota reached");
    problem.setProperties(
        Map.of(
            "code", CODE,
            "used", used,
            "reserved", reserved,
            "limit", limit,
            "requested", requested,
            "resets_at", resetsAt.toString(),
            "errors", List.of(new FieldViolation("num_images", reason))));
    return problem;
  }
}
