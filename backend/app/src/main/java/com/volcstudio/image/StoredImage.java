package com.volcstudio.image;

import java.time.Instant;

/**
 * An image on disk and its record.
 *
 * @param sizeBytes the image file's size, parameters included
 * @param thumbnailBytes the thumbnail file's size (0 for images stored before it was recorded)
 * @param parameters how it was asked for; the same as is embedded in the file
 */
public record StoredImage(
    String id,
    String taskId,
    int index,
    long seed,
    int width,
    int height,
    String mimeType,
    long sizeBytes,
    long thumbnailBytes,
    Instant createdAt,
    ImageParameters parameters) {

  public String url() {
    return "/api/v1/images/" + id;
  }

  public String thumbnailUrl() {
    return url() + "/thumbnail";
  }

  /** Bytes it takes on disk, thumbnail included: what counts against {@code MAX_STORAGE_GB}. */
  public long storedBytes() {
    return sizeBytes + thumbnailBytes;
  }

  StoredImage withSizeBytes(long size) {
    return new StoredImage(
        id,
        taskId,
        index,
        seed,
        width,
        height,
        mimeType,
        size,
        thumbnailBytes,
        createdAt,
        parameters);
  }

  String fileName() {
    return id + extension();
  }

  String extension() {
    return mimeType.equals("image/png") ? ".png" : ".jpg";
  }

  static String thumbnailFileName(String id) {
    return id + ".jpg";
  }
}
