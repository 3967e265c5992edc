package com.volcstudio.emulator;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import tools.jackson.databind.JsonNode;

/**
 * What an editing req_key was asked to do, checked as the service checks it (PROTOCOL-2026-12 §1),
 * and the doing of it: the results are made from the input's own pixels, so an upscale looks like
 * its source at twice the size and a cut-out has real transparency.
 *
 * @param images the inputs as sent: the image, then the mask where the key takes one
 * @param instruction what to paint (empty: remove what the mask covers)
 * @param onlyMask {@code saliency_seg}'s output mode (0 cropped BGRA, 1 mask, 2 on a solid
 *     background, 3 full-size BGRA, 4 BGRA and mask)
 * @param output the result's size
 */
record ImageEdit(
    EditKind kind,
    List<byte[]> images,
    String instruction,
    double top,
    double right,
    double bottom,
    double left,
    int onlyMask,
    OutputSize output,
    ImageFormat format) {

  static final String JIMENG_INPAINT = "jimeng_image2image_dream_inpaint";

  /** Instruction that asks the Jimeng inpainter to remove rather than repaint (§1a). */
  static final String ERASE = "删除";

  /**
   * The subject a cut-out finds: an ellipse inset by this fraction of each side. The emulator has
   * no vision; a fixed, visible subject is enough for the client to show and test transparency.
   */
  private static final double SUBJECT_INSET = 0.15;

  /** Reads the edit from a request whose inputs are already decoded and checked. */
  static ImageEdit read(
      ReqKeySpec spec, RequestFields fields, List<InputImage> inputs, String prompt) {
    for (InputImage input : inputs) {
      if (input.bytes() == null) {
        // Offline: an image given by URL cannot be edited here (the real service fetches it).
        throw new RejectedRequest(
            ServiceError.invalidArgs("the emulator edits images sent as binary_data_base64 only"));
      }
    }
    InputImage source = inputs.get(0);
    List<byte[]> images = new ArrayList<>();
    inputs.forEach(input -> images.add(input.bytes()));
    String instruction = fields.string("custom_prompt").orElse(prompt).strip();
    ImageFormat format = spec.format();
    return switch (spec.edit()) {
      case UPSCALE -> {
        format = fields.integer("result_format").orElse(0L) == 1 ? ImageFormat.JPEG : format;
        yield edit(spec, images, "", source.width() * 2, source.height() * 2, format, 0);
      }
      case TILE_SR -> {
        int longSide = fields.string("resolution").orElse("4k").equals("8k") ? 8192 : 4096;
        double scale = (double) longSide / Math.max(source.width(), source.height());
        yield edit(
            spec,
            images,
            "",
            (int) Math.round(source.width() * scale),
            (int) Math.round(source.height() * scale),
            format,
            0);
      }
      case SALIENCY -> {
        int mode = fields.integer("only_mask").orElse(0L).intValue();
        if (mode < 0 || mode > 4) {
          throw new RejectedRequest(ServiceError.invalidArgs("only_mask must be within [0, 4]"));
        }
        int[] box = subject(source.width(), source.height());
        boolean cropped = mode == 0;
        yield edit(
            spec,
            images,
            "",
            cropped ? box[2] - box[0] : source.width(),
            cropped ? box[3] - box[1] : source.height(),
            format,
            mode);
      }
      case INPAINT -> {
        InputImage mask = inputs.get(1);
        if (mask.width() != source.width() || mask.height() != source.height()) {
          throw new RejectedRequest(
              ServiceError.invalidArgs(
                  "the mask is "
                      + mask.width()
                      + "x"
                      + mask.height()
                      + " but the image is "
                      + source.width()
                      + "x"
                      + source.height()
                      + "; they must be the same size"));
        }
        if (spec.reqKey().equals(JIMENG_INPAINT)
            && decode(mask.bytes()).getRaster().getNumBands() != 1) {
          // The Jimeng page: "单通道灰度图" (§1a); a colour or RGBA mask is the client's to convert.
          throw new RejectedRequest(
              ServiceError.invalidArgs("the mask must be a single-channel grayscale image"));
        }
        String what = instruction.equals(ERASE) ? "" : instruction;
        yield edit(spec, images, what, source.width(), source.height(), format, 0);
      }
      case OUTPAINT -> {
        double top = fraction(fields, "top");
        double right = fraction(fields, "right");
        double bottom = fraction(fields, "bottom");
        double left = fraction(fields, "left");
        double width = source.width() * (1 + left + right);
        double height = source.height() * (1 + top + bottom);
        // 0, as the SDK sends when not set, means the default: 1920 for i2i_outpainting; the
        // Jimeng outpainter documents no cap, so its sides stop at 4096.
        double cap = spec.reqKey().equals(ReqKeyCatalog.JIMENG_OUTPAINT) ? 4096.0 : 1920.0;
        double maxWidth = fields.number("max_width").filter(v -> v > 0).orElse(cap);
        double maxHeight = fields.number("max_height").filter(v -> v > 0).orElse(cap);
        // The result is scaled down to fit max_width × max_height (UNCERTAIN: 3P, §1b).
        double fit = Math.min(1, Math.min(maxWidth / width, maxHeight / height));
        yield new ImageEdit(
            EditKind.OUTPAINT,
            images,
            instruction,
            top,
            right,
            bottom,
            left,
            0,
            new OutputSize(
                Math.max(1, (int) Math.round(width * fit)),
                Math.max(1, (int) Math.round(height * fit))),
            format);
      }
      case NONE -> throw new IllegalStateException(spec.reqKey() + " does not edit");
    };
  }

  private static ImageEdit edit(
      ReqKeySpec spec,
      List<byte[]> images,
      String instruction,
      int width,
      int height,
      ImageFormat format,
      int onlyMask) {
    return new ImageEdit(
        spec.edit(),
        images,
        instruction,
        0,
        0,
        0,
        0,
        onlyMask,
        new OutputSize(Math.max(1, width), Math.max(1, height)),
        format);
  }

  private static double fraction(RequestFields fields, String side) {
    double value = fields.number(side).orElse(0.0);
    if (value < 0 || value > 1) {
      throw new RejectedRequest(ServiceError.invalidArgs(side + " must be within [0, 1]"));
    }
    return value;
  }

  /** Images this edit answers with: two for a cut-out with its mask (mode 4), else one. */
  int count() {
    return kind == EditKind.SALIENCY && onlyMask == 4 ? 2 : 1;
  }

  /**
   * The results, encoded; CPU-bound, so run on the renderer's threads.
   *
   * @param asUrl whether they are delivered as links: the service's link of a cut-out is a JPEG
   *     without transparency (§1e)
   */
  List<byte[]> apply(ImageRenderer renderer, long seed, boolean asUrl) {
    BufferedImage source = decode(images.get(0));
    ImageFormat out = asUrl && kind == EditKind.SALIENCY ? ImageFormat.JPEG : format;
    return switch (kind) {
      case UPSCALE, TILE_SR -> List.of(ImageRenderer.encode(scaled(source), out));
      case SALIENCY -> cutOut(source, out);
      case INPAINT -> List.of(ImageRenderer.encode(inpainted(source, renderer, seed), out));
      case OUTPAINT -> List.of(ImageRenderer.encode(extended(source, renderer, seed), out));
      case NONE -> throw new IllegalStateException("not an edit");
    };
  }

  private BufferedImage scaled(BufferedImage source) {
    BufferedImage result =
        new BufferedImage(
            output.width(),
            output.height(),
            source.getColorModel().hasAlpha()
                ? BufferedImage.TYPE_INT_ARGB
                : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = result.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(source, 0, 0, output.width(), output.height(), null);
    } finally {
      g.dispose();
    }
    return result;
  }

  private List<byte[]> cutOut(BufferedImage source, ImageFormat out) {
    int width = source.getWidth();
    int height = source.getHeight();
    int[] box = subject(width, height);
    BufferedImage rgba = cutOut(source);
    return switch (onlyMask) {
      case 0 ->
          List.of(
              ImageRenderer.encode(
                  rgba.getSubimage(box[0], box[1], box[2] - box[0], box[3] - box[1]), out));
      case 1 -> List.of(ImageRenderer.encode(mask(rgba), out));
      case 2 -> List.of(ImageRenderer.encode(onWhite(rgba), out));
      case 4 -> List.of(ImageRenderer.encode(rgba, out), ImageRenderer.encode(mask(rgba), out));
      default -> List.of(ImageRenderer.encode(rgba, out));
    };
  }

  /** The subject's mask: 255 where the cut-out is opaque. */
  private static BufferedImage mask(BufferedImage rgba) {
    BufferedImage mask =
        new BufferedImage(rgba.getWidth(), rgba.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < rgba.getHeight(); y++) {
      for (int x = 0; x < rgba.getWidth(); x++) {
        mask.getRaster().setSample(x, y, 0, (rgba.getRGB(x, y) >>> 24) > 0 ? 255 : 0);
      }
    }
    return mask;
  }

  private static BufferedImage onWhite(BufferedImage rgba) {
    BufferedImage flat =
        new BufferedImage(rgba.getWidth(), rgba.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = flat.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, rgba.getWidth(), rgba.getHeight());
      g.drawImage(rgba, 0, 0, null);
    } finally {
      g.dispose();
    }
    return flat;
  }

  /**
   * The picture with everything outside its central subject made transparent: how a transparent
   * background is drawn (Seedream 5.0 Pro's {@code background: transparent}).
   */
  static BufferedImage cutOut(BufferedImage source) {
    int width = source.getWidth();
    int height = source.getHeight();
    int[] box = subject(width, height);
    double cx = (box[0] + box[2]) / 2.0;
    double cy = (box[1] + box[3]) / 2.0;
    double rx = (box[2] - box[0]) / 2.0;
    double ry = (box[3] - box[1]) / 2.0;
    BufferedImage rgba = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double dx = (x + 0.5 - cx) / rx;
        double dy = (y + 0.5 - cy) / ry;
        if (dx * dx + dy * dy <= 1) {
          rgba.setRGB(x, y, 0xff000000 | source.getRGB(x, y));
        }
      }
    }
    return rgba;
  }

  private BufferedImage inpainted(BufferedImage source, ImageRenderer renderer, long seed) {
    int width = source.getWidth();
    int height = source.getHeight();
    BufferedImage mask = decode(images.get(1));
    BufferedImage painted =
        instruction.isEmpty() ? null : renderer.paint(instruction, seed, width, height);
    int fill = instruction.isEmpty() ? meanOutside(source, mask) : 0;
    BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean repaint = luminance(mask.getRGB(x, y)) >= 128;
        int rgb = repaint ? (painted == null ? fill : painted.getRGB(x, y)) : source.getRGB(x, y);
        result.setRGB(x, y, rgb);
      }
    }
    return result;
  }

  private BufferedImage extended(BufferedImage source, ImageRenderer renderer, long seed) {
    BufferedImage canvas =
        renderer.paint(
            instruction.isEmpty() ? "outpainting" : instruction,
            seed,
            output.width(),
            output.height());
    double totalWidth = 1 + left + right;
    double totalHeight = 1 + top + bottom;
    int x = (int) Math.round(output.width() * left / totalWidth);
    int y = (int) Math.round(output.height() * top / totalHeight);
    int w = (int) Math.round(output.width() / totalWidth);
    int h = (int) Math.round(output.height() / totalHeight);
    Graphics2D g = canvas.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(source, x, y, w, h, null);
    } finally {
      g.dispose();
    }
    return canvas;
  }

  /** The cut-out's subject box {x1, y1, x2, y2}, as {@code data.bbox} reports it. */
  static int[] subject(int width, int height) {
    int x1 = (int) Math.floor(width * SUBJECT_INSET);
    int y1 = (int) Math.floor(height * SUBJECT_INSET);
    return new int[] {x1, y1, Math.max(x1 + 1, width - x1), Math.max(y1 + 1, height - y1)};
  }

  private static int meanOutside(BufferedImage source, BufferedImage mask) {
    long r = 0;
    long g = 0;
    long b = 0;
    long n = 0;
    for (int y = 0; y < source.getHeight(); y += 2) {
      for (int x = 0; x < source.getWidth(); x += 2) {
        if (luminance(mask.getRGB(x, y)) < 128) {
          int rgb = source.getRGB(x, y);
          r += rgb >> 16 & 0xff;
          g += rgb >> 8 & 0xff;
          b += rgb & 0xff;
          n++;
        }
      }
    }
    return n == 0
        ? Color.GRAY.getRGB()
        : new Color((int) (r / n), (int) (g / n), (int) (b / n)).getRGB();
  }

  private static int luminance(int rgb) {
    return ((rgb >> 16 & 0xff) * 299 + (rgb >> 8 & 0xff) * 587 + (rgb & 0xff) * 114) / 1000;
  }

  static BufferedImage decode(byte[] bytes) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      if (image == null) {
        throw new RejectedRequest(ServiceError.imageDecode("image cannot be decoded"));
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** For the task journal: the edit as JSON. */
  void writeTo(tools.jackson.databind.node.ObjectNode node) {
    node.put("kind", kind.name())
        .put("instruction", instruction)
        .put("top", top)
        .put("right", right)
        .put("bottom", bottom)
        .put("left", left)
        .put("only_mask", onlyMask)
        .put("width", output.width())
        .put("height", output.height())
        .put("format", format.name());
    var array = node.putArray("images");
    images.forEach(bytes -> array.add(java.util.Base64.getEncoder().encodeToString(bytes)));
  }

  static ImageEdit readFrom(JsonNode node) {
    List<byte[]> images = new ArrayList<>();
    node.get("images")
        .values()
        .forEach(b64 -> images.add(java.util.Base64.getDecoder().decode(b64.asString())));
    return new ImageEdit(
        EditKind.valueOf(node.get("kind").asString()),
        images,
        node.get("instruction").asString(),
        node.get("top").asDouble(),
        node.get("right").asDouble(),
        node.get("bottom").asDouble(),
        node.get("left").asDouble(),
        node.get("only_mask").asInt(),
        new OutputSize(node.get("width").asInt(), node.get("height").asInt()),
        ImageFormat.valueOf(node.get("format").asString()));
  }
}
