package com.volcstudio.upload;

import java.time.Instant;

/**
 * An uploaded image as stored and as the API shows it.
 *
 * @param mimeType {@code image/png}, {@code image/jpeg} or {@code image/webp}, from the bytes,
 *     never the name
 */
public record Upload(
    String uploadId, String mimeType, int width, int height, long sizeBytes, Instant createdAt) {

  public String url() {
    return "/api/v1/uploads/" + uploadId;
  }

  String fileName() {
    return uploadId + "." + ImageType.ofMimeType(mimeType).extension();
  }
}
