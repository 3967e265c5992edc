package com.volcstudio.upload;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * A mask as the editing services take it: single-channel, 0 = keep, 255 = the area to work on
 * (PROTOCOL-2026-12 §1a, the Jimeng page's convention; assumed for the legacy keys too). Users send
 * either a black-and-white image (white = the area) or an RGBA image whose painted, opaque pixels
 * mark it, as a brush over a transparent layer makes.
 */
final class MaskImage {

  private MaskImage() {}

  /** The mask as a grayscale PNG of 0s and 255s; CPU-bound, so called off the event loop. */
  static byte[] toUpstream(byte[] pngOrJpeg) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(pngOrJpeg));
      if (image == null) {
        throw new IllegalArgumentException("the mask cannot be decoded");
      }
      int width = image.getWidth();
      int height = image.getHeight();
      boolean byAlpha = image.getColorModel().hasAlpha() && anyTransparent(image);
      BufferedImage mask = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
      var raster = mask.getRaster();
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int argb = image.getRGB(x, y);
          boolean marked = byAlpha ? (argb >>> 24) >= 128 : luminance(argb) >= 128;
          raster.setSample(x, y, 0, marked ? 255 : 0);
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(mask, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean anyTransparent(BufferedImage image) {
    for (int y = 0; y < image.getHeight(); y += 1) {
      for (int x = 0; x < image.getWidth(); x += 1) {
        if ((image.getRGB(x, y) >>> 24) < 255) {
          return true;
        }
      }
    }
    return false;
  }

  private static int luminance(int rgb) {
    return ((rgb >> 16 & 0xff) * 299 + (rgb >> 8 & 0xff) * 587 + (rgb & 0xff) * 114) / 1000;
  }
}
