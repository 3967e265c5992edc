package com.volcstudio.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The size of an image from its header, without decoding it. */
class ImageHeaderTests {

  @Test
  void readsThePngSizeFromIhdr() throws IOException {
    assertThat(ImageHeader.read(encode("png", 640, 360), "image/png"))
        .contains(new ImageHeader(640, 360));
  }

  @Test
  void readsTheJpegSizeFromTheFrameHeaderAfterTheAppSegments() throws IOException {
    assertThat(ImageHeader.read(encode("jpg", 300, 1000), "image/jpeg"))
        .contains(new ImageHeader(300, 1000));
  }

  @Test
  void readsTheSizeOfAnImageWithParametersEmbedded() throws IOException {
    String json = "{\"prompt\":\"一只猫\"}";
    assertThat(
            ImageHeader.read(
                ImageMetadata.embed(encode("jpg", 77, 55), "image/jpeg", json), "image/jpeg"))
        .contains(new ImageHeader(77, 55));
    assertThat(
            ImageHeader.read(
                ImageMetadata.embed(encode("png", 77, 55), "image/png", json), "image/png"))
        .contains(new ImageHeader(77, 55));
  }

  @Test
  void findsNoSizeInTruncatedOrForeignBytes() throws IOException {
    byte[] jpeg = encode("jpg", 64, 64);
    assertThat(ImageHeader.read(Arrays.copyOf(jpeg, 20), "image/jpeg")).isEmpty();
    assertThat(ImageHeader.read(Arrays.copyOf(encode("png", 64, 64), 20), "image/png")).isEmpty();
    assertThat(ImageHeader.read(new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2, 3, 4}, "image/jpeg"))
        .isEmpty();
    assertThat(ImageHeader.read(jpeg, "image/webp")).isEmpty();
  }

  private static byte[] encode(String format, int width, int height) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), format, out);
    return out.toByteArray();
  }
}
