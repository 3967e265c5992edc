package com.volcstudio.upload;

import com.volcstudio.web.FieldViolation;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An upload refused as a problem naming the {@code file} field: 413 too large, 415 not an image we
 * take, 400 unreadable.
 */
class UploadRejectedException extends ErrorResponseException {

  static final String FIELD = "file";

  private UploadRejectedException(HttpStatus status, String title, String reason) {
    super(status, problem(status, title, reason), null);
  }

  static UploadRejectedException tooLarge(String reason) {
    return new UploadRejectedException(HttpStatus.PAYLOAD_TOO_LARGE, "Upload too large", reason);
  }

  static UploadRejectedException unsupported(String reason) {
    return new UploadRejectedException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported image type", reason);
  }

  static UploadRejectedException invalid(String reason) {
    return new UploadRejectedException(HttpStatus.BAD_REQUEST, "Invalid request", reason);
  }

  static ProblemDetail problem(HttpStatus status, String title, String reason) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, FIELD + ": " + reason);
    problem.setTitle(title);
    problem.setProperty("errors", List.of(new FieldViolation(FIELD, reason)));
    return problem;
  }
}
