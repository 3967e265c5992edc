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

  /** The code when the limit that would be passed is the account's own monthly_image_quota. */
  public static final String OWN_CODE = "ACCOUNT_MONTHLY_QUOTA_EXCEEDED";

  QuotaExceededException(
      long used, long reserved, int limit, int requested, Instant resetsAt, boolean own) {
    super(
        HttpStatus.TOO_MANY_REQUESTS,
        problem(used, reserved, limit, requested, resetsAt, own),
        null);
    long seconds = Math.max(1, resetsAt.getEpochSecond() - Instant.now().getEpochSecond());
    getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
  }

  private static ProblemDetail problem(
      long used, long reserved, int limit, int requested, Instant resetsAt, boolean own) {
    long left = Math.max(0, limit - used - reserved);
    String name = own ? "your account's monthly_image_quota" : "MONTHLY_IMAGE_QUOTA";
    String reason =
        "would take this month's images over "
            + name
            + " ("
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
            (own ? "Your account's monthly image quota reached: " : "Monthly image quota reached: ")
                + used
                + " made and "
                + reserved
                + " queued of "
                + limit
                + " this month; this request asks for "
                + requested
                + ". Ask for at most "
                + left
                + (own
                    ? ", cancel queued tasks, or ask an admin to raise your account's quota."
                    : ", cancel queued tasks, or raise MONTHLY_IMAGE_QUOTA."));
    problem.setTitle("Monthly image quota reached");
    problem.setProperties(
        Map.of(
            "code", own ? OWN_CODE : CODE,
            "used", used,
            "reserved", reserved,
            "limit", limit,
            "requested", requested,
            "resets_at", resetsAt.toString(),
            "errors", List.of(new FieldViolation("num_images", reason))));
    return problem;
  }
}
