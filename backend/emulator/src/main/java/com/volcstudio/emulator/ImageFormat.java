package com.volcstudio.emulator;

/**
 * Encodings the emulator answers with: PNG for the 通用 models, JPEG for 即梦 3.x (D-J31) and Ark
 * (§6.3).
 */
enum ImageFormat {
  PNG("png", "image/png"),
  JPEG("jpeg", "image/jpeg");

  private final String extension;
  private final String mediaType;

  ImageFormat(String extension, String mediaType) {
    this.extension = extension;
    this.mediaType = mediaType;
  }

  String extension() {
    return extension;
  }

  String mediaType() {
    return mediaType;
  }
}
