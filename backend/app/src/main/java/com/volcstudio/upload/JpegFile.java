package com.volcstudio.upload;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A JPEG taken apart segment by segment, its entropy-coded scans walked to the end-of-image marker,
 * without decoding a pixel: its frame header, and the same file without its metadata.
 */
final class JpegFile implements ImageFile {

  private static final int SOI = 0xd8;
  private static final int EOI = 0xd9;
  private static final int SOS = 0xda;
  private static final int APP0 = 0xe0;
  private static final int APP1 = 0xe1;
  private static final int APP2 = 0xe2;
  private static final int APP14 = 0xee;
  private static final int COM = 0xfe;

  private static final byte[] EXIF = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] JFIF = "JFIF\0".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] ICC_PROFILE = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] ADOBE = "Adobe".getBytes(StandardCharsets.ISO_8859_1);

  private static final int ORIENTATION_TAG = 0x0112;

  /**
   * One marker segment from its 0xFF to its end; a scan (SOS) runs on to the end of its
   * entropy-coded data.
   */
  private record Segment(int marker, int start, int end) {
    int dataStart() {
      return start + 4;
    }
  }

  private final byte[] bytes;
  private final List<Segment> segments;
  private final ImageHeader header;

  private JpegFile(byte[] bytes, List<Segment> segments, ImageHeader header) {
    this.bytes = bytes;
    this.segments = segments;
    this.header = header;
  }

  static JpegFile parse(byte[] bytes) {
    List<Segment> segments = new ArrayList<>();
    ImageHeader header = null;
    int pos = 2; // after SOI, which sniffing has seen
    while (true) {
      if (pos >= bytes.length) {
        throw incomplete();
      }
      if ((bytes[pos] & 0xff) != 0xff) {
        throw invalid("the JPEG is damaged: no segment where one should start");
      }
      while (pos < bytes.length && (bytes[pos] & 0xff) == 0xff) {
        pos++; // fill bytes before a marker
      }
      if (pos >= bytes.length) {
        throw incomplete();
      }
      int marker = bytes[pos] & 0xff;
      int start = pos - 1;
      pos++;
      if (marker == EOI) {
        break; // whatever follows EOI is not part of the image
      }
      if (marker == SOI || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        if (marker == SOI) {
          throw invalid("the JPEG starts a second image inside the first");
        }
        continue; // markers without a length
      }
      if (bytes.length - pos < 2) {
        throw incomplete();
      }
      int length = Bytes.uint16(bytes, pos);
      if (length < 2) {
        throw invalid("the JPEG has a malformed segment");
      }
      if (length > bytes.length - pos) {
        throw incomplete();
      }
      int end = pos + length;
      if (isFrameHeader(marker)) {
        if (header != null) {
          throw invalid("the JPEG declares more than one frame");
        }
        header = frameHeader(bytes, marker, pos + 2, length - 2);
      }
      if (marker == SOS) {
        if (header == null) {
          throw invalid("the JPEG has image data before its frame header");
        }
        end = endOfScan(bytes, end);
      }
      segments.add(new Segment(marker, start, end));
      pos = end;
    }
    if (header == null || segments.stream().noneMatch(s -> s.marker() == SOS)) {
      throw invalid("the JPEG has no image data");
    }
    return new JpegFile(bytes, segments, header);
  }

  /** SOF0–SOF15 less DHT (C4), JPG (C8) and DAC (CC). */
  private static boolean isFrameHeader(int marker) {
    return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
  }

  private static ImageHeader frameHeader(byte[] bytes, int marker, int at, int length) {
    if (marker > 0xc2) {
      // Lossless, hierarchical and arithmetic-coded JPEGs: hardly any decoder takes them.
      throw UploadRejectedException.unsupported(
          "is a JPEG in a coding other than baseline or progressive, which is not supported");
    }
    if (length < 6) {
      throw invalid("the JPEG frame header is malformed");
    }
    int precision = bytes[at] & 0xff;
    int height = Bytes.uint16(bytes, at + 1);
    int width = Bytes.uint16(bytes, at + 3);
    int components = bytes[at + 5] & 0xff;
    if ((precision != 8 && precision != 12)
        || components < 1
        || components > 4
        || length < 6 + 3 * components) {
      throw invalid("the JPEG frame header is malformed");
    }
    // A decoder holds 12-bit samples in 16 bits.
    return new ImageHeader(ImageType.JPEG, width, height, components, precision == 8 ? 8 : 16);
  }

  /**
   * Where the entropy-coded data after a scan header ends: at the first marker that is not a
   * stuffed zero or a restart marker.
   */
  private static int endOfScan(byte[] bytes, int pos) {
    while (pos < bytes.length - 1) {
      if ((bytes[pos] & 0xff) != 0xff) {
        pos++;
        continue;
      }
      int next = bytes[pos + 1] & 0xff;
      if (next == 0x00 || (next >= 0xd0 && next <= 0xd7)) {
        pos += 2;
      } else if (next == 0xff) {
        pos++;
      } else {
        return pos;
      }
    }
    throw incomplete();
  }

  @Override
  public ImageHeader header() {
    return header;
  }

  /**
   * Nothing beyond the walk {@link #parse} made: every segment whole, every scan ending in a
   * marker, the file ending in EOI. Checking the Huffman-coded data itself would mean decoding it.
   */
  @Override
  public void checkData() {}

  /**
   * Drops every APPn segment (EXIF with its GPS position, XMP, Photoshop/IPTC, maker notes, MPF
   * previews) and comments, except what decoders use to show the picture: the JFIF header, the ICC
   * colour profile and Adobe's colour-transform flag. A rotated photo keeps its EXIF orientation,
   * and only that, in a minimal EXIF segment, so it is not shown sideways.
   */
  @Override
  public byte[] withoutMetadata() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
    out.write(0xff);
    out.write(SOI);
    int orientation = orientation();
    boolean orientationWritten = orientation == 1;
    for (Segment segment : segments) {
      if (!orientationWritten && !(segment.marker() == APP0 && startsWith(segment, JFIF))) {
        out.writeBytes(orientationSegment(orientation));
        orientationWritten = true;
      }
      if (kept(segment)) {
        out.write(bytes, segment.start(), segment.end() - segment.start());
      }
    }
    out.write(0xff);
    out.write(EOI);
    return out.toByteArray();
  }

  private boolean kept(Segment segment) {
    int marker = segment.marker();
    if (marker == COM) {
      return false;
    }
    if (marker < APP0 || marker > 0xef) {
      return true;
    }
    return (marker == APP0 && startsWith(segment, JFIF))
        || (marker == APP2 && startsWith(segment, ICC_PROFILE))
        || (marker == APP14 && startsWith(segment, ADOBE));
  }

  private boolean startsWith(Segment segment, byte[] prefix) {
    int from = segment.dataStart();
    return segment.end() - from >= prefix.length
        && Arrays.equals(bytes, from, from + prefix.length, prefix, 0, prefix.length);
  }

  /** The EXIF orientation (1–8) of the first EXIF segment; 1 (as stored) when there is none. */
  private int orientation() {
    for (Segment segment : segments) {
      if (segment.marker() == APP1 && startsWith(segment, EXIF)) {
        return orientation(segment.dataStart() + EXIF.length, segment.end());
      }
    }
    return 1;
  }

  private int orientation(int tiff, int end) {
    if (end - tiff < 8) {
      return 1;
    }
    boolean little = bytes[tiff] == 'I' && bytes[tiff + 1] == 'I';
    if (!little && !(bytes[tiff] == 'M' && bytes[tiff + 1] == 'M')) {
      return 1;
    }
    long ifd = tiff + u32(tiff + 4, little);
    if (ifd < tiff || ifd > end - 2) {
      return 1;
    }
    int entries = u16((int) ifd, little);
    for (int i = 0; i < entries; i++) {
      long entry = ifd + 2 + 12L * i;
      if (entry > end - 12) {
        return 1;
      }
      int at = (int) entry;
      if (u16(at, little) == ORIENTATION_TAG && u16(at + 2, little) == 3) {
        int value = u16(at + 8, little);
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  private int u16(int at, boolean little) {
    return little ? Bytes.le16(bytes, at) : Bytes.uint16(bytes, at);
  }

  private long u32(int at, boolean little) {
    return little ? Bytes.le32(bytes, at) : Bytes.uint32(bytes, at);
  }

  /** APP1 holding an EXIF block with one entry, the orientation, and nothing else. */
  static byte[] orientationSegment(int orientation) {
    return new byte[] {
      (byte) 0xff,
      (byte) APP1,
      0,
      34, // marker, length
      'E',
      'x',
      'i',
      'f',
      0,
      0,
      'M',
      'M',
      0,
      42,
      0,
      0,
      0,
      8, // TIFF header, big-endian, IFD0 at 8
      0,
      1, // one entry
      0x01,
      0x12,
      0,
      3,
      0,
      0,
      0,
      1,
      0,
      (byte) orientation,
      0,
      0, // Orientation, SHORT, 1 value
      0,
      0,
      0,
      0 // no next IFD
    };
  }

  private static UploadRejectedException incomplete() {
    return invalid("the JPEG ends before its end-of-image marker (the file is incomplete)");
  }

  private static UploadRejectedException invalid(String reason) {
    return UploadRejectedException.invalid(reason);
  }
}
