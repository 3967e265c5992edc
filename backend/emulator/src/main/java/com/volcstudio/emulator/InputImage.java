package com.volcstudio.emulator;

import org.jspecify.annotations.Nullable;

/**
 * A reference image a request carried: decoded from base64 (size and bytes known) or given by URL
 * (the emulator is offline and does not fetch it, so its size is unknown: width and height 0).
 *
 * @param bytes the image as sent, kept for the editing keys that work on it; null for a URL
 */
record InputImage(int width, int height, byte @Nullable [] bytes) {

  static final InputImage UNKNOWN_SIZE = new InputImage(0, 0, null);

  InputImage(int width, int height) {
    this(width, height, null);
  }

  boolean sizeKnown() {
    return width > 0 && height > 0;
  }
}
