package com.volcstudio.upload;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * A WebP taken apart chunk by chunk (RIFF framing checked): the largest size any of its headers
 * declares — the extended header's canvas and every frame's own — and the file without its
 * metadata.
 */
final class WebpFile implements ImageFile {

  private static final int VP8X_EXIF = 0x08;
  private static final int VP8X_XMP = 0x04;

  /** Chunks that make up the picture; EXIF, XMP and unknown chunks are metadata or ignorable. */
  private static final Set<String> KEPT =
      Set.of("VP8X", "ICCP", "ANIM", "ANMF", "ALPH", "VP8 ", "VP8L");

  private record Chunk(String fourCc, int start, int size) {
    int dataStart() {
      return start + 8;
    }

    /** Chunks are padded to an even size. */
    int end() {
      return dataStart() + size + (size & 1);
    }
  }

  private final byte[] bytes;
  private final int riffEnd;
  private final List<Chunk> chunks;
  private final ImageHeader header;

  private WebpFile(byte[] bytes, int riffEnd, List<Chunk> chunks, ImageHeader header) {
    this.bytes = bytes;
    this.riffEnd = riffEnd;
    this.chunks = chunks;
    this.header = header;
  }

  static WebpFile parse(byte[] bytes) {
    long riffSize = Bytes.le32(bytes, 4);
    if (riffSize < 4 || riffSize > bytes.length - 8L) {
      throw incomplete();
    }
    int riffEnd = (int) (8 + riffSize);
    List<Chunk> chunks = chunks(bytes, 12, riffEnd);
    if (chunks.isEmpty()) {
      throw invalid("the WebP holds no image");
    }
    int[] size = {0, 0};
    String first = chunks.get(0).fourCc();
    if (first.equals("VP8X")) {
      Chunk vp8x = chunks.get(0);
      if (vp8x.size() < 10) {
        throw invalid("the WebP extended header (VP8X) is malformed");
      }
      grow(
          size,
          Bytes.le24(bytes, vp8x.dataStart() + 4) + 1,
          Bytes.le24(bytes, vp8x.dataStart() + 7) + 1);
    } else if (!first.equals("VP8 ") && !first.equals("VP8L")) {
      throw invalid("the WebP does not start with an image header");
    }
    boolean image = false;
    for (Chunk chunk : chunks) {
      image |= frameSize(bytes, chunk, size);
    }
    if (!image) {
      throw invalid("the WebP holds no image");
    }
    // A decoder holds every WebP as 8-bit ARGB, alpha or not.
    return new WebpFile(
        bytes, riffEnd, chunks, new ImageHeader(ImageType.WEBP, size[0], size[1], 4, 8));
  }

  private static List<Chunk> chunks(byte[] bytes, int from, int to) {
    List<Chunk> chunks = new ArrayList<>();
    int pos = from;
    while (pos < to) {
      if (to - pos < 8) {
        throw incomplete();
      }
      long size = Bytes.le32(bytes, pos + 4);
      if (size > to - pos - 8L) {
        throw incomplete();
      }
      Chunk chunk =
          new Chunk(new String(bytes, pos, 4, StandardCharsets.ISO_8859_1), pos, (int) size);
      chunks.add(chunk);
      pos = Math.min(chunk.end(), to);
    }
    return chunks;
  }

  /**
   * Grows {@code size} to the frame this chunk declares (an animation frame's own header and the
   * bitstream inside it both count); whether it held an image.
   */
  private static boolean frameSize(byte[] bytes, Chunk chunk, int[] size) {
    int at = chunk.dataStart();
    switch (chunk.fourCc()) {
      case "VP8 " -> {
        // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
        if (chunk.size() < 10
            || (bytes[at + 3] & 0xff) != 0x9d
            || (bytes[at + 4] & 0xff) != 0x01
            || (bytes[at + 5] & 0xff) != 0x2a) {
          throw invalid("the WebP lossy bitstream header (VP8) is malformed");
        }
        grow(size, Bytes.le16(bytes, at + 6) & 0x3fff, Bytes.le16(bytes, at + 8) & 0x3fff);
        return true;
      }
      case "VP8L" -> {
        // Signature 0x2F, then width − 1 and height − 1 in 14 bits each.
        if (chunk.size() < 5 || (bytes[at] & 0xff) != 0x2f) {
          throw invalid("the WebP lossless bitstream header (VP8L) is malformed");
        }
        long bits = Bytes.le32(bytes, at + 1);
        grow(size, (int) (bits & 0x3fff) + 1, (int) ((bits >>> 14) & 0x3fff) + 1);
        return true;
      }
      case "ANMF" -> {
        if (chunk.size() < 16) {
          throw invalid("the WebP animation frame (ANMF) is malformed");
        }
        grow(size, Bytes.le24(bytes, at + 6) + 1, Bytes.le24(bytes, at + 9) + 1);
        boolean image = false;
        for (Chunk inner : chunks(bytes, at + 16, at + chunk.size())) {
          image |= frameSize(bytes, inner, size);
        }
        return image;
      }
      default -> {
        return false;
      }
    }
  }

  private static void grow(int[] size, int width, int height) {
    size[0] = Math.max(size[0], width);
    size[1] = Math.max(size[1], height);
  }

  @Override
  public ImageHeader header() {
    return header;
  }

  /**
   * Decodes the image once, discarding it: unlike PNG's deflate stream, VP8/VP8L data cannot be
   * checked without decoding, and a WebP must decode to be sent upstream as PNG. The caller has
   * bounded its decoded size and runs it on the few decoding threads.
   */
  @Override
  public void checkData() {
    try {
      decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw invalid("the image data is damaged or incomplete and cannot be decoded");
    }
  }

  static java.awt.image.BufferedImage decode(byte[] bytes) throws IOException {
    ImageReader reader = ImageInspector.reader(ImageType.WEBP);
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      return reader.read(0);
    } finally {
      reader.dispose();
    }
  }

  @Override
  public byte[] withoutMetadata() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(riffEnd);
    out.write(bytes, 0, 12);
    for (Chunk chunk : chunks) {
      if (!KEPT.contains(chunk.fourCc())) {
        continue;
      }
      int start = out.size();
      out.write(bytes, chunk.start(), Math.min(chunk.end(), riffEnd) - chunk.start());
      if (chunk.fourCc().equals("VP8X")) {
        byte[] sofar = out.toByteArray();
        sofar[start + 8] &= (byte) ~(VP8X_EXIF | VP8X_XMP);
        out.reset();
        out.writeBytes(sofar);
      }
    }
    byte[] stripped = out.toByteArray();
    Bytes.putLe32(stripped, 4, stripped.length - 8L);
    return stripped;
  }

  private static UploadRejectedException incomplete() {
    return invalid("the WebP ends before its declared size (the file is incomplete)");
  }

  private static UploadRejectedException invalid(String reason) {
    return UploadRejectedException.invalid(reason);
  }
}
