package com.volcstudio.upload;

/** Unsigned integers read from image files: PNG and JPEG are big-endian, WebP little-endian. */
final class Bytes {

  private Bytes() {}

  static long uint32(byte[] b, int at) {
    return ((b[at] & 0xffL) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  static int uint16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  static int le16(byte[] b, int at) {
    return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8);
  }

  static int le24(byte[] b, int at) {
    return le16(b, at) | ((b[at + 2] & 0xff) << 16);
  }

  static long le32(byte[] b, int at) {
    return le24(b, at) | ((b[at + 3] & 0xffL) << 24);
  }

  static void putLe32(byte[] b, int at, long value) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (value >>> (8 * i));
    }
  }
}
