package com.volcstudio.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Parameters embedded in PNG and JPEG files without disturbing the image. */
class ImageMetadataTests {

  private static final StoredImage IMAGE =
      new StoredImage(
          "5f0c6a1e-9d7b-4c1a-8f3e-2b6d4e8a9c10",
          "0b9a3f7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
          0,
          12345,
          64,
          48,
          "image/png",
          0,
          0,
          Instant.parse("2026-11-28T14:53:26.123Z"),
          new ImageParameters(
              "general_v2.0", "水墨画风格的山水, \"quoted\"", "", 64, 48, 20, 7.5, Map.of("use_sr", true)));
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void aPngGetsAnItxtChunkThatImageioReadsBackInUtf8() throws IOException {
    byte[] original = encode("png");
    byte[] embedded = ImageMetadata.embed(original, "image/png", ImageMetadata.json(IMAGE));

    JsonNode parameters = JSON.readTree(ImageApiTests.pngText(embedded, "parameters"));
    assertThat(parameters.get("prompt").asString()).isEqualTo("水墨画风格的山水, \"quoted\"");
    assertThat(parameters.get("seed").asLong()).isEqualTo(12345);
    assertThat(parameters.get("options").get("use_sr").asBoolean()).isTrue();
    assertThat(parameters.get("created_at").asString()).isEqualTo("2026-11-28T14:53:26.123Z");
    assertSamePixels(original, embedded);
  }

  @Test
  void aJpegGetsAUtf8CommentSegmentAfterItsJfifHeader() throws IOException {
    byte[] original = encode("jpg");
    byte[] embedded = ImageMetadata.embed(original, "image/jpeg", ImageMetadata.json(IMAGE));

    // JFIF's APP0 must stay first after SOI for strict readers.
    assertThat(embedded[2] & 0xff).isEqualTo(0xff);
    assertThat(embedded[3] & 0xff).isEqualTo(0xe0);
    JsonNode parameters = JSON.readTree(jpegComment(embedded));
    assertThat(parameters.get("prompt").asString()).isEqualTo("水墨画风格的山水, \"quoted\"");
    assertThat(parameters.get("model").asString()).isEqualTo("general_v2.0");
    assertSamePixels(original, embedded);
  }

  @Test
  void aJpegCommentTooLongForOneSegmentIsLeftOutRatherThanCorruptingTheFile() throws IOException {
    byte[] original = encode("jpg");
    assertThat(ImageMetadata.embed(original, "image/jpeg", "x".repeat(70_000))).isEqualTo(original);
  }

  private static byte[] encode(String format) throws IOException {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 64; x++) {
      for (int y = 0; y < 48; y++) {
        image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 128);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }

  private static void assertSamePixels(byte[] a, byte[] b) throws IOException {
    BufferedImage left = ImageIO.read(new ByteArrayInputStream(a));
    BufferedImage right = ImageIO.read(new ByteArrayInputStream(b));
    assertThat(right.getWidth()).isEqualTo(left.getWidth());
    for (int x = 0; x < left.getWidth(); x++) {
      for (int y = 0; y < left.getHeight(); y++) {
        assertThat(right.getRGB(x, y)).isEqualTo(left.getRGB(x, y));
      }
    }
  }

  /** The COM segment's bytes as ImageIO's native JPEG metadata gives them. */
  private static String jpegComment(byte[] jpeg) throws IOException {
    try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
      ImageReader reader = readers.next();
      reader.setInput(input);
      Node root = reader.getImageMetadata(0).getAsTree("javax_imageio_jpeg_image_1.0");
      Node com = ((IIOMetadataNode) root).getElementsByTagName("com").item(0);
      return new String((byte[]) ((IIOMetadataNode) com).getUserObject(), StandardCharsets.UTF_8);
    }
  }
}
