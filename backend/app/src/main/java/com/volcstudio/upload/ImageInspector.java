package com.volcstudio.upload;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;

/**
 * Checks an uploaded image without holding its pixels: its structure and the size its header
 * declares first — each side, and the memory a decoder would need (width × height × channels × bit
 * depth) — so a few KB claiming 50000 × 50000 px, or a 130 KB PNG of 4096² 16-bit RGBA (128 MiB
 * decoded), is refused before a pixel is read. Only then is the pixel data checked: PNG's
 * compressed stream inflated into a small scratch buffer and counted, a JPEG's scans walked to its
 * end, a WebP decoded (within that bound). Blocking CPU work: callers run it on the few decoding
 * threads of {@link Uploads}.
 */
final class ImageInspector {

  /** What was accepted, and the bytes to store: without metadata unless it is kept. */
  record Inspected(ImageType type, int width, int height, byte[] bytes) {}

  private static final long MIB = 1024L * 1024L;

  private final int maxSide;
  private final long maxDecodedBytes;
  private final int maxDecodedMb;
  private final boolean keepMetadata;

  // Pixel-data checks started, running now and the most at once: how tests see that a bomb was not
  // opened and that decodes wait their turn.
  private final AtomicLong pixelReads = new AtomicLong();
  private final AtomicInteger reading = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();

  ImageInspector(UploadProperties properties) {
    this.maxSide = properties.maxSide();
    this.maxDecodedMb = properties.maxDecodedMb();
    this.maxDecodedBytes = properties.maxDecodedMb() * MIB;
    this.keepMetadata = properties.keepMetadata();
  }

  Inspected inspect(byte[] bytes) {
    ImageType type =
        ImageType.sniff(bytes)
            .orElseThrow(
                () ->
                    UploadRejectedException.unsupported(
                        "is not a PNG, JPEG or WebP image (its content was checked, not its name)"));
    ImageFile file = ImageFile.parse(type, bytes);
    ImageHeader header = file.header();
    int width = header.width();
    int height = header.height();
    if (width <= 0 || height <= 0) {
      throw UploadRejectedException.invalid(
          "declares an empty image (" + width + "×" + height + ")");
    }
    if (width > maxSide || height > maxSide) {
      throw UploadRejectedException.tooLarge(
          "is " + width + "×" + height + " px; each side may be at most " + maxSide + " px");
    }
    long decoded = header.decodedBytes();
    if (decoded > maxDecodedBytes) {
      throw UploadRejectedException.tooLarge(
          "would take "
              + (decoded + MIB - 1) / MIB
              + " MB of memory decoded ("
              + header.describe()
              + "); at most "
              + maxDecodedMb
              + " MB (UPLOAD_MAX_DECODED_MB)");
    }
    readingPixels(file::checkData);
    return new Inspected(type, width, height, keepMetadata ? bytes : file.withoutMetadata());
  }

  /**
   * The bytes an upstream takes (PNG or JPEG only, docs/volcengine/PROTOCOL.md §3.3, §6.3): a WebP
   * is decoded and re-encoded as PNG, which carries no metadata; PNG and JPEG go as stored, without
   * their metadata unless it is kept (so an upload stored before metadata was stripped goes without
   * it too).
   */
  byte[] forUpstream(ImageType type, byte[] bytes) {
    if (type != ImageType.WEBP) {
      if (keepMetadata) {
        return bytes;
      }
      try {
        return ImageFile.parse(type, bytes).withoutMetadata();
      } catch (UploadRejectedException e) {
        // Stored by an older version whose checks were not these: it was accepted then, and the
        // task is better served sending it as it is than failing.
        return bytes;
      }
    }
    BufferedImage[] image = new BufferedImage[1];
    readingPixels(
        () -> {
          try {
            image[0] = WebpFile.decode(bytes);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    ByteArrayOutputStream png = new ByteArrayOutputStream(bytes.length * 2);
    try {
      ImageIO.write(image[0], "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return png.toByteArray();
  }

  /** Pixel-data checks and decodes so far. */
  long pixelReads() {
    return pixelReads.get();
  }

  /** The most pixel-data checks and decodes that ran at the same time. */
  int mostAtOnce() {
    return mostAtOnce.get();
  }

  private void readingPixels(Runnable read) {
    pixelReads.incrementAndGet();
    mostAtOnce.accumulateAndGet(reading.incrementAndGet(), Math::max);
    try {
      read.run();
    } finally {
      reading.decrementAndGet();
    }
  }

  static ImageReader reader(ImageType type) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(type.mimeType());
    if (!readers.hasNext()) {
      throw new IllegalStateException("no ImageIO reader for " + type.mimeType());
    }
    return readers.next();
  }
}
