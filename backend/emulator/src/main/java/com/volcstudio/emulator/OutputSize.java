package com.volcstudio.emulator;

/** Pixel size of a generated image. */
record OutputSize(int width, int height) {

  long area() {
    return (long) width * height;
  }

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
