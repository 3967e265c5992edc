package com.volcstudio.upload;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Checks an uploaded image in two steps: the size its header declares first (cheap, and bounded),
 * then a full decode only when that size is acceptable — a few KB claiming 50000 × 50000 px is
 * refused before a single pixel buffer is allocated. Blocking CPU work: callers run it on
 * boundedElastic.
 */
final class ImageInspector {

  record Inspected(ImageType type, int width, int height) {}

  private final int maxSide;

  ImageInspector(int maxSide) {
    this.maxSide = maxSide;
  }

  Inspected inspect(byte[] bytes) {
    ImageType type =
        ImageType.sniff(bytes)
            .orElseThrow(
                () ->
                    UploadRejectedException.unsupported(
                        "is not a PNG, JPEG or WebP image (its content was checked, not its name)"));
    ImageReader reader = reader(type);
    // Memory-cached: ImageIO's default stream would spill to a temp file for no gain on bytes we
    // already hold.
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      int width;
      int height;
      try {
        width = reader.getWidth(0);
        height = reader.getHeight(0);
      } catch (IOException | RuntimeException e) {
        throw UploadRejectedException.invalid(
            "the " + type.extension().toUpperCase() + " header cannot be read");
      }
      if (width <= 0 || height <= 0) {
        throw UploadRejectedException.invalid(
            "declares an empty image (" + width + "×" + height + ")");
      }
      if (width > maxSide || height > maxSide) {
        throw UploadRejectedException.tooLarge(
            "is " + width + "×" + height + " px; each side may be at most " + maxSide + " px");
      }
      try {
        reader.read(0);
      } catch (IOException | RuntimeException e) {
        throw UploadRejectedException.invalid(
            "the image data is damaged or incomplete and cannot be decoded");
      }
      return new Inspected(type, width, height);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      reader.dispose();
    }
  }

  /**
   * PNG or JPEG bytes for an upstream that takes only those (docs/volcengine/PROTOCOL.md §3.3,
   * §6.3): WebP is re-encoded as PNG.
   */
  static byte[] asPngOrJpeg(ImageType type, byte[] bytes) {
    if (type != ImageType.WEBP) {
      return bytes;
    }
    ImageReader reader = reader(type);
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      BufferedImage image = reader.read(0);
      ByteArrayOutputStream png = new ByteArrayOutputStream(bytes.length * 2);
      ImageIO.write(image, "png", png);
      return png.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      reader.dispose();
    }
  }

  private static ImageReader reader(ImageType type) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(type.mimeType());
    if (!readers.hasNext()) {
      throw new IllegalStateException("no ImageIO reader for " + type.mimeType());
    }
    return readers.next();
  }
}
