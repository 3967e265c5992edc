package com.volcstudio.emulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import tools.jackson.databind.JsonNode;

/**
 * What reference images a req_key takes and the limits the docs give (docs/volcengine/PROTOCOL.md
 * §3.3). Problems answer the common image codes: 50206 no image, 50207 not decodable (including
 * base64 with a {@code data:} prefix, as D-COMMON notes), 50205 too large in bytes, pixels or
 * aspect ratio.
 *
 * @param min fewest images (0 for text-to-image)
 * @param max most images across {@code binary_data_base64} and {@code image_urls}
 * @param maxBytes largest decoded image
 * @param maxSide longest side in pixels
 * @param maxAspect long side / short side; 0 = not limited
 * @param urlsAccepted whether {@code image_urls} is a field of this req_key
 * @param minSide shortest side in pixels (0 = not limited)
 */
record InputImageRule(
    int min,
    int max,
    long maxBytes,
    int maxSide,
    double maxAspect,
    boolean urlsAccepted,
    int minSide) {

  InputImageRule(
      int min, int max, long maxBytes, int maxSide, double maxAspect, boolean urlsAccepted) {
    this(min, max, maxBytes, maxSide, maxAspect, urlsAccepted, 0);
  }

  private static final Set<String> FORMATS = Set.of("png", "jpeg");

  static InputImageRule none() {
    return new InputImageRule(0, 0, 0, 0, 0, false, 0);
  }

  boolean takesImages() {
    return max > 0;
  }

  /**
   * Reads and checks the images; CPU work (base64, ImageIO), so callers run it off the event loop.
   */
  List<InputImage> read(RequestFields fields) {
    if (!takesImages()) {
      return List.of();
    }
    List<InputImage> images = new ArrayList<>();
    for (JsonNode b64 :
        fields.array("binary_data_base64").map(JsonNode::values).orElse(List.of())) {
      images.add(decode(b64));
    }
    if (urlsAccepted) {
      for (JsonNode url : fields.array("image_urls").map(JsonNode::values).orElse(List.of())) {
        images.add(checkUrl(url));
      }
    }
    if (images.size() < min) {
      throw new RejectedRequest(
          ServiceError.imageEmpty(
              min == 1 ? "an input image is required" : min + " input images are required"));
    }
    if (images.size() > max) {
      throw new RejectedRequest(
          ServiceError.invalidArgs(
              "at most " + max + " input image(s) are accepted, got " + images.size()));
    }
    return images;
  }

  private InputImage decode(JsonNode node) {
    if (!node.isString()) {
      throw new RejectedRequest(
          ServiceError.parseArgs("binary_data_base64 must be an array of strings"));
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(node.asString());
    } catch (IllegalArgumentException e) {
      throw new RejectedRequest(
          ServiceError.imageDecode("binary_data_base64 is not plain base64 (no data: prefix)"));
    }
    if (bytes.length == 0) {
      throw new RejectedRequest(ServiceError.imageEmpty("binary_data_base64 holds an empty image"));
    }
    if (bytes.length > maxBytes) {
      throw new RejectedRequest(
          ServiceError.imageSize("image is " + bytes.length + " bytes, the limit is " + maxBytes));
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      var readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new RejectedRequest(ServiceError.imageDecode("image is not a JPEG or PNG"));
      }
      ImageReader reader = readers.next();
      try {
        if (!FORMATS.contains(reader.getFormatName().toLowerCase())) {
          throw new RejectedRequest(
              ServiceError.imageDecode("image is " + reader.getFormatName() + ", not JPEG or PNG"));
        }
        reader.setInput(in);
        return checkPixels(new InputImage(reader.getWidth(0), reader.getHeight(0), bytes));
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new RejectedRequest(ServiceError.imageDecode("image cannot be decoded"));
    }
  }

  private InputImage checkPixels(InputImage image) {
    if (minSide > 0 && Math.min(image.width(), image.height()) < minSide) {
      throw new RejectedRequest(
          ServiceError.imageSize("image sides must be at least " + minSide + " px"));
    }
    int longSide = Math.max(image.width(), image.height());
    int shortSide = Math.min(image.width(), image.height());
    if (longSide > maxSide) {
      throw new RejectedRequest(
          ServiceError.imageSize("image sides must be at most " + maxSide + " px"));
    }
    if (maxAspect > 0 && (double) longSide / shortSide > maxAspect) {
      throw new RejectedRequest(
          ServiceError.imageSize("image aspect ratio must be within 1:" + (int) maxAspect));
    }
    return image;
  }

  /** The emulator never fetches a URL (it is offline); it only checks that one was given. */
  private static InputImage checkUrl(JsonNode node) {
    String text = node.isString() ? node.asString() : "";
    try {
      String scheme = URI.create(text).getScheme();
      if (scheme != null && (scheme.equals("http") || scheme.equals("https"))) {
        return InputImage.UNKNOWN_SIZE;
      }
    } catch (IllegalArgumentException e) {
      // falls through to the rejection below
    }
    throw new RejectedRequest(ServiceError.invalidArgs("image_urls must hold http(s) URLs"));
  }
}
