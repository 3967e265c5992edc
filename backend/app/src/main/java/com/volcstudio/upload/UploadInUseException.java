package com.volcstudio.upload;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 409: a pending or running task will still send the upload upstream, so it cannot go yet. */
class UploadInUseException extends ErrorResponseException {

  UploadInUseException(String uploadId) {
    super(HttpStatus.CONFLICT, problem(uploadId), null);
  }

  private static ProblemDetail problem(String uploadId) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.CONFLICT,
            "Upload "
                + uploadId
                + " is a reference image of a pending or running task; delete it when the task has"
                + " ended (or cancel the task).");
    problem.setTitle("Upload in use");
    return problem;
  }
}
