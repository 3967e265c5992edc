package com.volcstudio.upload;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/** Images for upload tests: real ones drawn here, and hand-made files that lie about themselves. */
public final class TestImages {

  /** A 1×1 lossless WebP (ImageIO has no WebP writer, so it is spelled out). */
  public static final byte[] WEBP_1X1 =
      Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");

  private TestImages() {}

  public static byte[] png(int width, int height) {
    return encode(width, height, "png", BufferedImage.TYPE_INT_ARGB);
  }

  public static byte[] jpeg(int width, int height) {
    return encode(width, height, "jpeg", BufferedImage.TYPE_INT_RGB);
  }

  /**
   * A valid-looking PNG of a few hundred bytes whose header claims {@code width × height}: decoding
   * it would allocate width × height × 4 bytes, which is what a decompression bomb counts on.
   */
  public static byte[] pngBomb(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr =
        ByteBuffer.allocate(13)
            .putInt(width)
            .putInt(height)
            .put((byte) 8)
            .put((byte) 6)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[4096]);
    deflater.finish();
    byte[] idat = new byte[8192];
    int n = deflater.deflate(idat);
    chunk(out, "IDAT", java.util.Arrays.copyOf(idat, n));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /**
   * The bomb of the review: a real PNG of {@code side × side} pixels, 16-bit RGBA, all zero. It
   * passes a {@code side} px limit, every chunk and its deflate stream are valid, and it decodes to
   * side² × 8 bytes (128 MiB at 4096) from about 130 KB.
   */
  public static byte[] png16BitRgbaBomb(int side) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr =
        ByteBuffer.allocate(13)
            .putInt(side)
            .putInt(side)
            .put((byte) 16)
            .put((byte) 6)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    // Each row: filter type 0, then side × 8 zero bytes; deflated row by row, never held whole.
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    byte[] row = new byte[1 + side * 8];
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    for (int y = 0; y < side; y++) {
      deflater.setInput(row);
      while (!deflater.needsInput()) {
        idat.write(buffer, 0, deflater.deflate(buffer));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      idat.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** Text that the metadata of the images below carries, to look for in what is stored. */
  public static final String SECRET = "home-address-52.5200N-13.4050E";

  /**
   * A JPEG as a phone writes it: EXIF with the orientation (6: turn 90° clockwise to show) and a
   * GPS position, an XMP packet, and a comment, each carrying {@link #SECRET}.
   */
  public static byte[] jpegWithGps(int width, int height) {
    byte[] plain = jpeg(width, height);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(plain, 0, 2); // SOI
    segment(out, 0xe1, concat(ascii("Exif\0\0"), gpsTiff()));
    segment(
        out,
        0xe1,
        ascii(
            "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description exif:GPSLatitude=\""
                + SECRET
                + "\"/></x:xmpmeta>"));
    segment(out, 0xfe, ascii("taken at " + SECRET));
    out.write(plain, 2, plain.length - 2);
    return out.toByteArray();
  }

  /**
   * A PNG with a tEXt, an iTXt, a tIME and an eXIf chunk, the text ones carrying {@link #SECRET}.
   */
  public static byte[] pngWithText(int width, int height) {
    byte[] plain = png(width, height);
    int afterIhdr = 8 + 12 + 13;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(plain, 0, afterIhdr);
    chunk(out, "tEXt", ascii("Location\0" + SECRET));
    chunk(out, "iTXt", ascii("GPS\0\0\0\0\0" + SECRET));
    chunk(out, "tIME", new byte[] {0x07, (byte) 0xea, 1, 2, 3, 4, 5});
    chunk(out, "eXIf", gpsTiff());
    out.write(plain, afterIhdr, plain.length - afterIhdr);
    return out.toByteArray();
  }

  /** {@link #WEBP_1X1} in the extended format, with an EXIF and an XMP chunk. */
  public static byte[] webpWithExif() {
    byte[] vp8l = java.util.Arrays.copyOfRange(WEBP_1X1, 12, WEBP_1X1.length);
    byte[] vp8x = new byte[18];
    System.arraycopy(ascii("VP8X"), 0, vp8x, 0, 4);
    vp8x[4] = 10;
    vp8x[8] = 0x08 | 0x04; // EXIF and XMP present; canvas 1×1 (stored as size − 1 = 0)
    byte[] body =
        concat(
            ascii("WEBP"),
            vp8x,
            vp8l,
            riffChunk("EXIF", concat(ascii("Exif\0\0"), gpsTiff())),
            riffChunk("XMP ", ascii("<x:xmpmeta>" + SECRET + "</x:xmpmeta>")));
    ByteBuffer riff = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    riff.put(ascii("RIFF")).putInt(body.length);
    return concat(riff.array(), body);
  }

  /**
   * A big-endian TIFF block: IFD0 with the orientation (6) and a pointer to a GPS IFD whose
   * latitude reference is followed by {@link #SECRET} as its processing method.
   */
  private static byte[] gpsTiff() {
    byte[] secret = ascii(SECRET + "\0");
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 24 + 4 + 2 + 24 + 4 + secret.length);
    tiff.put(ascii("MM")).putShort((short) 42).putInt(8);
    tiff.putShort((short) 2);
    tiff.putShort((short) 0x0112)
        .putShort((short) 3)
        .putInt(1)
        .putShort((short) 6)
        .putShort((short) 0);
    int gpsIfd = 8 + 2 + 24 + 4;
    tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(gpsIfd);
    tiff.putInt(0);
    tiff.putShort((short) 2);
    tiff.putShort((short) 0x0001).putShort((short) 2).putInt(2).put(ascii("N\0\0\0"));
    int text = gpsIfd + 2 + 24 + 4;
    tiff.putShort((short) 0x001b).putShort((short) 7).putInt(secret.length).putInt(text);
    tiff.putInt(0);
    tiff.put(secret);
    return tiff.array();
  }

  private static void segment(ByteArrayOutputStream out, int marker, byte[] data) {
    out.write(0xff);
    out.write(marker);
    out.write((data.length + 2) >> 8);
    out.write((data.length + 2) & 0xff);
    out.writeBytes(data);
  }

  private static byte[] riffChunk(String fourCc, byte[] data) {
    ByteBuffer chunk =
        ByteBuffer.allocate(8 + data.length + (data.length & 1))
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    chunk.put(ascii(fourCc)).putInt(data.length).put(data);
    return chunk.array();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] encode(int width, int height, String format, int type) {
    BufferedImage image = new BufferedImage(width, height, type);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(40, 120, 200));
    g.fillRect(0, 0, width, height);
    g.setColor(Color.ORANGE);
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
