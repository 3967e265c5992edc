package com.volcstudio.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import tools.jackson.databind.json.JsonMapper;

/**
 * The generation parameters written into the image file itself, so a downloaded image still tells
 * how it was made. PNG: an uncompressed {@code iTXt} chunk with the keyword {@code parameters}
 * (iTXt rather than tEXt because tEXt is Latin-1 and prompts are often Chinese). JPEG: a {@code
 * COM} segment holding the same UTF-8 JSON. The bytes the upstream sent are otherwise kept exactly:
 * nothing is decoded and re-encoded.
 */
final class ImageMetadata {

  /** The keyword readers such as ImageIO, exiftool or image viewers show for the chunk. */
  static final String KEYWORD = "parameters";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** A JPEG segment length field counts itself (2 bytes) and is 16 bits wide. */
  private static final int MAX_JPEG_COMMENT = 0xffff - 2;

  private ImageMetadata() {}

  /**
   * What is embedded, in a stable order: the request first, then where and when the image was made.
   */
  static Map<String, Object> describe(StoredImage image) {
    ImageParameters p = image.parameters();
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("prompt", p.prompt());
    description.put("negative_prompt", p.negativePrompt());
    description.put("model", p.model());
    description.put("width", p.width());
    description.put("height", p.height());
    description.put("seed", image.seed());
    description.put("steps", p.steps());
    description.put("scale", p.scale());
    description.put("options", p.options());
    description.put("task_id", image.taskId());
    description.put("image_index", image.index());
    description.put("created_at", image.createdAt().toString());
    description.put("generator", "Volc Image Studio");
    return description;
  }

  static String json(StoredImage image) {
    return JSON.writeValueAsString(describe(image));
  }

  /**
   * The image with {@code json} embedded; unchanged if the format has no room for it (see the JPEG
   * case).
   */
  static byte[] embed(byte[] image, String mimeType, String json) {
    ByteBuffer[] parts = embedded(image, mimeType, json);
    ByteBuffer whole = ByteBuffer.allocate(length(parts));
    for (ByteBuffer part : parts) {
      whole.put(part.duplicate());
    }
    return whole.array();
  }

  /**
   * {@link #embed} as the pieces of the file, in order: views of the original bytes around the
   * inserted chunk or segment. Written with one gathering write, so storing a 2 MB image never
   * copies it into a second 2 MB array (a humongous allocation for G1 on a small heap).
   */
  static ByteBuffer[] embedded(byte[] image, String mimeType, String json) {
    byte[] text = json.getBytes(StandardCharsets.UTF_8);
    return switch (mimeType) {
      case "image/png" -> embedInPng(image, text);
      case "image/jpeg" ->
          text.length <= MAX_JPEG_COMMENT
              ? embedInJpeg(image, text)
              : new ByteBuffer[] {ByteBuffer.wrap(image)};
      default -> new ByteBuffer[] {ByteBuffer.wrap(image)};
    };
  }

  static int length(ByteBuffer[] parts) {
    int length = 0;
    for (ByteBuffer part : parts) {
      length += part.remaining();
    }
    return length;
  }

  /**
   * Inserts the iTXt chunk right after IHDR, which the PNG specification requires to come first.
   */
  private static ByteBuffer[] embedInPng(byte[] png, byte[] text) {
    for (int i = 0; i < PNG_SIGNATURE.length; i++) {
      if (png[i] != PNG_SIGNATURE[i]) {
        throw new IllegalArgumentException("not a PNG");
      }
    }
    int ihdrLength = ByteBuffer.wrap(png, 8, 4).getInt();
    int afterIhdr = 8 + 4 + 4 + ihdrLength + 4;
    // iTXt data: keyword, NUL, compression flag 0, method 0, empty language tag NUL, empty
    // translated keyword NUL, text.
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.writeBytes(KEYWORD.getBytes(StandardCharsets.ISO_8859_1));
    data.writeBytes(new byte[] {0, 0, 0, 0, 0});
    data.writeBytes(text);
    return around(png, afterIhdr, chunk("iTXt", data.toByteArray()));
  }

  private static ByteBuffer[] around(byte[] original, int at, byte[] inserted) {
    return new ByteBuffer[] {
      ByteBuffer.wrap(original, 0, at),
      ByteBuffer.wrap(inserted),
      ByteBuffer.wrap(original, at, original.length - at)
    };
  }

  private static byte[] chunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return ByteBuffer.allocate(4 + 4 + data.length + 4)
        .putInt(data.length)
        .put(typeBytes)
        .put(data)
        .putInt((int) crc.getValue())
        .array();
  }

  /**
   * Inserts a COM segment after SOI and the APPn segments that follow it: JFIF and Exif readers
   * expect their APP0/APP1 segment to come first.
   */
  private static ByteBuffer[] embedInJpeg(byte[] jpeg, byte[] text) {
    int at = 2;
    while (at + 4 <= jpeg.length && (jpeg[at] & 0xff) == 0xff && (jpeg[at + 1] & 0xf0) == 0xe0) {
      at += 2 + (((jpeg[at + 2] & 0xff) << 8) | (jpeg[at + 3] & 0xff));
    }
    if (at > jpeg.length) {
      return new ByteBuffer[] {ByteBuffer.wrap(jpeg)};
    }
    int length = text.length + 2;
    ByteBuffer segment = ByteBuffer.allocate(length + 2);
    segment.put(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) (length >> 8), (byte) length});
    segment.put(text);
    return around(jpeg, at, segment.array());
  }
}
