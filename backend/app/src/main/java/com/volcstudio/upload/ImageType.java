package com.volcstudio.upload;

import java.util.Arrays;
import java.util.Optional;

/**
 * The image types accepted for upload, told apart by their first bytes (file names and declared
 * types are not trusted).
 */
enum ImageType {
  PNG("image/png", "png"),
  JPEG("image/jpeg", "jpg"),
  WEBP("image/webp", "webp");

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private final String mimeType;
  private final String extension;

  ImageType(String mimeType, String extension) {
    this.mimeType = mimeType;
    this.extension = extension;
  }

  String mimeType() {
    return mimeType;
  }

  String extension() {
    return extension;
  }

  static ImageType ofMimeType(String mimeType) {
    return Arrays.stream(values())
        .filter(t -> t.mimeType.equals(mimeType))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not an upload type: " + mimeType));
  }

  /**
   * PNG: its 8-byte signature; JPEG: SOI + a marker (FF D8 FF); WebP: a RIFF container of type
   * WEBP.
   */
  static Optional<ImageType> sniff(byte[] bytes) {
    if (bytes.length >= 8 && Arrays.equals(bytes, 0, 8, PNG_SIGNATURE, 0, 8)) {
      return Optional.of(PNG);
    }
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xff
        && (bytes[1] & 0xff) == 0xd8
        && (bytes[2] & 0xff) == 0xff) {
      return Optional.of(JPEG);
    }
    if (bytes.length >= 12
        && bytes[0] == 'R'
        && bytes[1] == 'I'
        && bytes[2] == 'F'
        && bytes[3] == 'F'
        && bytes[8] == 'W'
        && bytes[9] == 'E'
        && bytes[10] == 'B'
        && bytes[11] == 'P') {
      return Optional.of(WEBP);
    }
    return Optional.empty();
  }
}
