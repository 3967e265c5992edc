package com.volcstudio.upload;

/**
 * A task names a reference upload that was deleted since it was submitted (a retry of an old task,
 * or a delete that raced the submit). Not worth retrying: the image will not come back.
 */
public class ReferenceImageGoneException extends IllegalStateException {

  private final String uploadId;

  ReferenceImageGoneException(String uploadId) {
    super("reference image " + uploadId + " no longer exists");
    this.uploadId = uploadId;
  }

  public String uploadId() {
    return uploadId;
  }
}
