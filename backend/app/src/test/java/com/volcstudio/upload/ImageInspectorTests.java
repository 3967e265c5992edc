package com.volcstudio.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * The byte-level checks of an upload: decoded size from the header alone, the pixel data checked
 * without holding it, and metadata removed without touching a pixel.
 */
class ImageInspectorTests {

  private static byte[] bomb;

  private final ImageInspector inspector =
      new ImageInspector(new UploadProperties(10, 4096, 64, false));

  @BeforeAll
  static void makeBomb() {
    bomb = TestImages.png16BitRgbaBomb(4096);
  }

  @Test
  void refusesThe16BitBombFromItsHeaderWithoutReadingAPixel() {
    assertThat(bomb.length).isBetween(100_000, 200_000);
    long started = System.nanoTime();
    assertThatThrownBy(() -> inspector.inspect(bomb))
        .isInstanceOfSatisfying(
            UploadRejectedException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE);
              assertThat(e.getBody().getDetail())
                  .startsWith("file: ")
                  .contains("128 MB")
                  .contains("4096×4096 px, 4 channels of 16 bits")
                  .contains("UPLOAD_MAX_DECODED_MB");
            });
    assertThat(inspector.pixelReads()).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
  }

  @Test
  void takesTheLargestImageTheDefaultsAllowAndChecksItsPixelData() {
    byte[] png = TestImages.png(4096, 4096);
    assertThat(inspector.inspect(png).width()).isEqualTo(4096);
    assertThat(inspector.pixelReads()).isEqualTo(1);
  }

  @Test
  void refusesAPngWhosePixelDataIsCutShortOrCorrupt() {
    byte[] png = TestImages.png(300, 200);
    // The image data chunk rewritten with half its bytes and a matching CRC: only inflating shows
    // it.
    byte[] cut = rewriteIdat(png, data -> Arrays.copyOf(data, data.length / 2));
    assertInvalid(cut);
    byte[] flipped =
        rewriteIdat(
            png,
            data -> {
              byte[] copy = data.clone();
              copy[copy.length / 2] ^= 0x55;
              return copy;
            });
    assertInvalid(flipped);
    assertInvalid(Arrays.copyOf(png, png.length - 20)); // no IEND
  }

  @Test
  void refusesAJpegWithoutItsEnd() {
    byte[] jpeg = TestImages.jpeg(200, 100);
    assertInvalid(Arrays.copyOf(jpeg, jpeg.length - 10));
  }

  @Test
  void stripsJpegMetadataButKeepsTheOrientationAndEveryPixel() throws IOException {
    byte[] original = TestImages.jpegWithGps(120, 80);
    byte[] stored = inspector.inspect(original).bytes();
    assertThat(latin1(original)).contains(TestImages.SECRET);
    assertThat(latin1(stored)).doesNotContain(TestImages.SECRET).doesNotContain("xap/1.0");
    // The only EXIF left is the orientation alone, right after SOI (and JFIF if there is one).
    assertThat(indexOf(stored, JpegFile.orientationSegment(6))).isPositive();
    assertThat(count(stored, "Exif\0\0")).isEqualTo(1);
    assertSamePixels(original, stored);
  }

  @Test
  void stripsPngTextAndExifChunksAndKeepsEveryPixel() throws IOException {
    byte[] original = TestImages.pngWithText(64, 48);
    byte[] stored = inspector.inspect(original).bytes();
    assertThat(latin1(stored))
        .doesNotContain(TestImages.SECRET)
        .doesNotContain("tEXt")
        .doesNotContain("iTXt")
        .doesNotContain("tIME")
        .doesNotContain("eXIf");
    assertThat(stored).isEqualTo(TestImages.png(64, 48));
    assertSamePixels(original, stored);
  }

  @Test
  void stripsWebpExifAndXmpChunksAndTheirFlags() throws IOException {
    byte[] original = TestImages.webpWithExif();
    ImageInspector.Inspected inspected = inspector.inspect(original);
    byte[] stored = inspected.bytes();
    assertThat(inspected.width()).isEqualTo(1);
    assertThat(latin1(stored))
        .doesNotContain(TestImages.SECRET)
        .doesNotContain("EXIF")
        .doesNotContain("XMP ");
    assertThat(stored[20] & 0x0c).as("VP8X EXIF and XMP flags").isZero();
    assertThat(Bytes.le32(stored, 4)).isEqualTo(stored.length - 8);
    assertSamePixels(original, stored);
  }

  @Test
  void keepsEverythingWhenAskedTo() {
    ImageInspector keeping = new ImageInspector(new UploadProperties(10, 4096, 64, true));
    byte[] jpeg = TestImages.jpegWithGps(40, 30);
    assertThat(keeping.inspect(jpeg).bytes()).isEqualTo(jpeg);
    assertThat(keeping.forUpstream(ImageType.JPEG, jpeg)).isEqualTo(jpeg);
  }

  @Test
  void sendsUpstreamWithoutMetadataEvenWhatWasStoredWithIt() {
    byte[] jpeg = TestImages.jpegWithGps(40, 30);
    assertThat(latin1(inspector.forUpstream(ImageType.JPEG, jpeg)))
        .doesNotContain(TestImages.SECRET);
    assertThat(latin1(inspector.forUpstream(ImageType.WEBP, TestImages.webpWithExif())))
        .startsWith("\u0089PNG")
        .doesNotContain(TestImages.SECRET);
  }

  @Test
  void refusesAWebpWhoseFrameIsLargerThanItsCanvasSays() {
    // A lossless frame header claiming 16384 × 16384 behind a 1 × 1 canvas.
    byte[] webp = TestImages.webpWithExif();
    int vp8l = 12 + 18 + 8;
    long bits = 16383L | (16383L << 14);
    Bytes.putLe32(webp, vp8l + 1, bits | (Bytes.le32(webp, vp8l + 1) & ~((1L << 28) - 1)));
    assertThatThrownBy(() -> inspector.inspect(webp))
        .isInstanceOfSatisfying(
            UploadRejectedException.class,
            e -> assertThat(e.getBody().getDetail()).contains("16384×16384"));
    assertThat(inspector.pixelReads()).isZero();
  }

  private void assertInvalid(byte[] bytes) {
    assertThatThrownBy(() -> inspector.inspect(bytes))
        .isInstanceOfSatisfying(
            UploadRejectedException.class,
            e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST));
  }

  private static byte[] rewriteIdat(byte[] png, java.util.function.UnaryOperator<byte[]> rewrite) {
    int at = indexOf(png, "IDAT".getBytes(StandardCharsets.ISO_8859_1)) - 4;
    int length = (int) Bytes.uint32(png, at);
    byte[] data = rewrite.apply(Arrays.copyOfRange(png, at + 8, at + 8 + length));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(png, 0, at);
    java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(12 + data.length);
    chunk.putInt(data.length).put("IDAT".getBytes(StandardCharsets.ISO_8859_1)).put(data);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(chunk.array(), 4, 4 + data.length);
    chunk.putInt((int) crc.getValue());
    out.writeBytes(chunk.array());
    out.write(png, at + 12 + length, png.length - at - 12 - length);
    return out.toByteArray();
  }

  private static void assertSamePixels(byte[] a, byte[] b) throws IOException {
    BufferedImage x = ImageIO.read(new ByteArrayInputStream(a));
    BufferedImage y = ImageIO.read(new ByteArrayInputStream(b));
    assertThat(y.getWidth()).isEqualTo(x.getWidth());
    assertThat(y.getHeight()).isEqualTo(x.getHeight());
    assertThat(y.getRGB(0, 0, y.getWidth(), y.getHeight(), null, 0, y.getWidth()))
        .isEqualTo(x.getRGB(0, 0, x.getWidth(), x.getHeight(), null, 0, x.getWidth()));
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static int count(byte[] bytes, String text) {
    String haystack = latin1(bytes);
    int n = 0;
    for (int i = haystack.indexOf(text); i >= 0; i = haystack.indexOf(text, i + 1)) {
      n++;
    }
    return n;
  }

  private static int indexOf(byte[] bytes, byte[] needle) {
    return latin1(bytes).indexOf(latin1(needle));
  }
}
