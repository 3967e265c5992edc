package com.volcstudio.upload;

/**
 * What an image file says about its pixels, read from its header without decoding any of them.
 *
 * @param width the largest width any of its frames declares
 * @param height the largest height any of its frames declares
 * @param channels samples per pixel as a decoder holds them (a palette index counts as one)
 * @param bitsPerSample bits a decoder spends per sample: 1, 2, 4, 8 or 16
 */
record ImageHeader(ImageType type, int width, int height, int channels, int bitsPerSample) {

  /** The bytes a decoder allocates for the pixels: whole bytes per row, rows of packed samples. */
  long decodedBytes() {
    long bitsPerRow = (long) width * channels * bitsPerSample;
    return (bitsPerRow + 7) / 8 * height;
  }

  /** "4096×4096, 4 channels of 16 bits", for a refusal that says what was counted. */
  String describe() {
    return width
        + "×"
        + height
        + " px, "
        + channels
        + (channels == 1 ? " channel" : " channels")
        + " of "
        + bitsPerSample
        + " bits";
  }
}
