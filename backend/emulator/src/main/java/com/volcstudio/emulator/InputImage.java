package com.volcstudio.emulator;

/**
 * A reference image a request carried: decoded from base64 (size known) or given by URL (the
 * emulator is offline and does not fetch it, so its size is unknown: width and height 0).
 */
record InputImage(int width, int height) {

  static final InputImage UNKNOWN_SIZE = new InputImage(0, 0);

  boolean sizeKnown() {
    return width > 0 && height > 0;
  }
}
