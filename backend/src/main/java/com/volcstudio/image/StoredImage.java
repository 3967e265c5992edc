package com.volcstudio.image;

import java.time.Instant;

/** An image on disk and its record. */
public record StoredImage(
    String id, String taskId, int index, long seed, int width, int height, String mimeType, long sizeBytes, Instant createdAt) {

  public String url() {
    return "/api/v1/images/" + id;
  }

  public String thumbnailUrl() {
    return url() + "/thumbnail";
  }

  String fileName() {
    return id + (mimeType.equals("image/png") ? ".png" : ".jpg");
  }

  static String thumbnailFileName(String id) {
    return id + ".jpg";
  }
}
