package com.volcstudio.upload;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A PNG taken apart chunk by chunk (every length and CRC checked), without decoding a pixel: its
 * header, a check of its compressed pixel data, and the same file without its metadata.
 */
final class PngFile implements ImageFile {

  private static final int SIGNATURE_LENGTH = 8;

  /**
   * The ancillary chunks that change how the pixels look (transparency, colour space, gamma, pixel
   * aspect). Every other ancillary chunk is metadata — text (tEXt, zTXt, iTXt, where cameras and
   * editors put EXIF/XMP too), eXIf, tIME, private chunks — and is dropped, as are APNG's frames: a
   * reference image is a still, its default image.
   */
  private static final Set<String> KEPT_ANCILLARY =
      Set.of(
          "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "cICP", "mDCv", "cLLi", "bKGD", "pHYs");

  private static final Set<String> CRITICAL = Set.of("IHDR", "PLTE", "IDAT", "IEND");

  /** Adam7: x start, y start, x step, y step of each of the seven passes. */
  private static final int[][] ADAM7 = {
    {0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}
  };

  private record Chunk(String type, int start, int length) {
    int dataStart() {
      return start + 8;
    }

    int end() {
      return start + 12 + length;
    }
  }

  private final byte[] bytes;
  private final List<Chunk> chunks;
  private final ImageHeader header;
  private final int bitDepth;
  private final boolean interlaced;

  private PngFile(
      byte[] bytes, List<Chunk> chunks, ImageHeader header, int bitDepth, boolean interlaced) {
    this.bytes = bytes;
    this.chunks = chunks;
    this.header = header;
    this.bitDepth = bitDepth;
    this.interlaced = interlaced;
  }

  static PngFile parse(byte[] bytes) {
    List<Chunk> chunks = new ArrayList<>();
    int pos = SIGNATURE_LENGTH;
    while (true) {
      if (bytes.length - pos < 12) {
        throw invalid("the PNG ends in the middle of a chunk (the file is incomplete)");
      }
      long length = Bytes.uint32(bytes, pos);
      if (length > bytes.length - pos - 12) {
        throw invalid("the PNG ends in the middle of a chunk (the file is incomplete)");
      }
      String type = new String(bytes, pos + 4, 4, StandardCharsets.ISO_8859_1);
      if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        throw invalid("the PNG has a malformed chunk");
      }
      Chunk chunk = new Chunk(type, pos, (int) length);
      CRC32 crc = new CRC32();
      crc.update(bytes, pos + 4, 4 + chunk.length());
      if (crc.getValue() != Bytes.uint32(bytes, chunk.end() - 4)) {
        throw invalid("the PNG chunk " + type + " is damaged (its CRC does not match)");
      }
      if (chunks.isEmpty() && !type.equals("IHDR")) {
        throw invalid("the PNG does not start with its header chunk (IHDR)");
      }
      if (Character.isUpperCase(type.charAt(0)) && !CRITICAL.contains(type)) {
        throw invalid("the PNG has a critical chunk " + type + " no decoder knows");
      }
      chunks.add(chunk);
      pos = chunk.end();
      if (type.equals("IEND")) {
        break; // whatever follows IEND is not part of the image
      }
    }
    Chunk ihdr = chunks.get(0);
    if (ihdr.length() != 13) {
      throw invalid("the PNG header chunk (IHDR) has the wrong length");
    }
    int at = ihdr.dataStart();
    long width = Bytes.uint32(bytes, at);
    long height = Bytes.uint32(bytes, at + 4);
    int bitDepth = bytes[at + 8] & 0xff;
    int colourType = bytes[at + 9] & 0xff;
    if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
      throw invalid("the PNG header declares a size beyond what PNG allows");
    }
    int channels = channels(colourType, bitDepth);
    if (bytes[at + 10] != 0 || bytes[at + 11] != 0 || (bytes[at + 12] & 0xff) > 1) {
      throw invalid("the PNG header names an unknown compression, filter or interlace method");
    }
    if (chunks.stream().noneMatch(c -> c.type().equals("IDAT"))) {
      throw invalid("the PNG has no image data (IDAT)");
    }
    if (colourType == 3 && chunks.stream().noneMatch(c -> c.type().equals("PLTE"))) {
      throw invalid("the PNG uses a palette but has none (PLTE)");
    }
    ImageHeader header =
        new ImageHeader(
            ImageType.PNG,
            (int) width,
            (int) height,
            channels,
            // Sub-byte depths stay packed in memory; 16 bits take two bytes per sample.
            bitDepth);
    return new PngFile(bytes, chunks, header, bitDepth, bytes[at + 12] == 1);
  }

  /** Samples per pixel for a colour type, refusing a bit depth the type does not allow. */
  private static int channels(int colourType, int bitDepth) {
    int channels;
    Set<Integer> depths;
    switch (colourType) {
      case 0 -> {
        channels = 1;
        depths = Set.of(1, 2, 4, 8, 16);
      }
      case 2 -> {
        channels = 3;
        depths = Set.of(8, 16);
      }
      case 3 -> {
        channels = 1;
        depths = Set.of(1, 2, 4, 8);
      }
      case 4 -> {
        channels = 2;
        depths = Set.of(8, 16);
      }
      case 6 -> {
        channels = 4;
        depths = Set.of(8, 16);
      }
      default -> throw invalid("the PNG header names an unknown colour type " + colourType);
    }
    if (!depths.contains(bitDepth)) {
      throw invalid("the PNG header names a bit depth its colour type does not allow");
    }
    return channels;
  }

  @Override
  public ImageHeader header() {
    return header;
  }

  /**
   * Inflates the pixel data into a small scratch buffer, counting, never keeping it: a truncated or
   * corrupt stream, or one holding more or fewer bytes than the header's size needs, is refused.
   * Memory stays at the scratch buffer whatever the size; the work is bounded by that size, which
   * the caller has checked.
   */
  @Override
  public void checkData() {
    long expected = filteredBytes();
    Inflater inflater = new Inflater();
    byte[] scratch = new byte[64 * 1024];
    long inflated = 0;
    try {
      for (Chunk chunk : chunks) {
        if (!chunk.type().equals("IDAT") || inflater.finished()) {
          continue;
        }
        inflater.setInput(bytes, chunk.dataStart(), chunk.length());
        while (!inflater.needsInput() && !inflater.finished()) {
          int n = inflater.inflate(scratch);
          if (n == 0
              && (inflater.needsDictionary() || !(inflater.needsInput() || inflater.finished()))) {
            throw invalid(DAMAGED);
          }
          inflated += n;
          if (inflated > expected) {
            throw invalid(DAMAGED);
          }
        }
      }
      if (!inflater.finished() || inflated != expected) {
        throw invalid(DAMAGED);
      }
    } catch (DataFormatException e) {
      throw invalid(DAMAGED);
    } finally {
      inflater.end();
    }
  }

  private static final String DAMAGED =
      "the image data is damaged or incomplete and cannot be decoded";

  /** What the image data inflates to: each row of each pass behind one filter-type byte. */
  private long filteredBytes() {
    long bitsPerPixel = (long) header.channels() * bitDepth;
    if (!interlaced) {
      return header.height() * (1 + (header.width() * bitsPerPixel + 7) / 8);
    }
    long total = 0;
    for (int[] pass : ADAM7) {
      long columns = (header.width() - pass[0] + pass[2] - 1L) / pass[2];
      long rows = (header.height() - pass[1] + pass[3] - 1L) / pass[3];
      if (columns > 0 && rows > 0) {
        total += rows * (1 + (columns * bitsPerPixel + 7) / 8);
      }
    }
    return total;
  }

  @Override
  public byte[] withoutMetadata() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
    out.write(bytes, 0, SIGNATURE_LENGTH);
    for (Chunk chunk : chunks) {
      if (CRITICAL.contains(chunk.type()) || KEPT_ANCILLARY.contains(chunk.type())) {
        out.write(bytes, chunk.start(), chunk.end() - chunk.start());
      }
    }
    return out.toByteArray();
  }

  private static UploadRejectedException invalid(String reason) {
    return UploadRejectedException.invalid(reason);
  }
}
