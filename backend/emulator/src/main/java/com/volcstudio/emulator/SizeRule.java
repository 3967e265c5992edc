package com.volcstudio.emulator;

import java.util.List;

/**
 * How a req_key turns {@code width}/{@code height}/{@code size}/{@code use_sr} into an output size,
 * and which values it refuses with 50200 (docs/volcengine/PROTOCOL.md §3.3, "Size rules" column).
 */
sealed interface SizeRule {

  OutputSize resolve(RequestFields fields, List<InputImage> inputs);

  /** A size the rule accepts, for tests and examples. */
  OutputSize example();

  /** A size the rule refuses. */
  OutputSize invalidExample();

  private static RejectedRequest invalid(String why) {
    return new RejectedRequest(ServiceError.invalidArgs(why));
  }

  private static int side(RequestFields fields, String name, int fallback) {
    return fields.integer(name).map(Long::intValue).orElse(fallback);
  }

  /**
   * Each side within [min, max]; {@code use_sr} (where the model has it) doubles both, which is how
   * the 2.x models reach their large sizes.
   */
  record SideRange(
      int min, int max, int defaultSide, boolean superResolution, boolean superResolutionDefault)
      implements SizeRule {

    @Override
    public OutputSize resolve(RequestFields fields, List<InputImage> inputs) {
      int width = side(fields, "width", defaultSide);
      int height = side(fields, "height", defaultSide);
      if (width < min || width > max || height < min || height > max) {
        throw invalid("width and height must be within [" + min + ", " + max + "]");
      }
      boolean sr = superResolution && fields.bool("use_sr").orElse(superResolutionDefault);
      int scale = sr ? 2 : 1;
      return new OutputSize(width * scale, height * scale);
    }

    @Override
    public OutputSize example() {
      return new OutputSize(min, min);
    }

    @Override
    public OutputSize invalidExample() {
      return new OutputSize(max + 1, min);
    }
  }

  /**
   * 即梦 3.x: custom sizes only when both {@code width} and {@code height} are sent — one alone does
   * not take effect and the default is used (D-J31); area and aspect ratio bounded.
   */
  record AreaRange(long minArea, long maxArea, double maxRatio, OutputSize defaultSize)
      implements SizeRule {

    @Override
    public OutputSize resolve(RequestFields fields, List<InputImage> inputs) {
      var width = fields.integer("width");
      var height = fields.integer("height");
      if (width.isEmpty() || height.isEmpty()) {
        return defaultSize;
      }
      OutputSize size = new OutputSize(width.get().intValue(), height.get().intValue());
      checkArea(size, minArea, maxArea);
      double ratio = (double) size.width() / size.height();
      if (ratio > maxRatio || ratio < 1 / maxRatio) {
        throw invalid(
            "width/height must be between 1:" + (int) maxRatio + " and " + (int) maxRatio + ":1");
      }
      return size;
    }

    @Override
    public OutputSize example() {
      return new OutputSize(1472, 1104);
    }

    @Override
    public OutputSize invalidExample() {
      return new OutputSize(300, 300);
    }
  }

  /**
   * 即梦 4.x: {@code size} is an area (the model picks the shape; the emulator draws a square), or
   * {@code width}+{@code height}, which win over it, within the same area range and within [{@code
   * min_ratio}, {@code max_ratio}] (D-J40).
   */
  record AreaOrDimensions(long minArea, long maxArea, long defaultArea) implements SizeRule {

    private static final double RATIO_LIMIT = 16;

    @Override
    public OutputSize resolve(RequestFields fields, List<InputImage> inputs) {
      double minRatio = fields.number("min_ratio").orElse(1.0 / 3);
      double maxRatio = fields.number("max_ratio").orElse(3.0);
      if (minRatio < 1 / RATIO_LIMIT
          || minRatio >= RATIO_LIMIT
          || maxRatio < 1 / RATIO_LIMIT
          || maxRatio >= RATIO_LIMIT
          || minRatio > maxRatio) {
        throw invalid(
            "min_ratio and max_ratio must be within [1/16, 16) and min_ratio <= max_ratio");
      }
      var width = fields.integer("width");
      var height = fields.integer("height");
      if (width.isPresent() && height.isPresent()) {
        OutputSize size = new OutputSize(width.get().intValue(), height.get().intValue());
        checkArea(size, minArea, maxArea);
        double ratio = (double) size.width() / size.height();
        if (ratio < minRatio || ratio > maxRatio) {
          throw invalid("width/height " + ratio + " is outside [min_ratio, max_ratio]");
        }
        return size;
      }
      long area = fields.integer("size").orElse(defaultArea);
      if (area < minArea || area > maxArea) {
        throw invalid("size must be within [" + minArea + ", " + maxArea + "]");
      }
      int side = (int) Math.sqrt((double) area);
      return new OutputSize(side, side);
    }

    @Override
    public OutputSize example() {
      return new OutputSize(1024, 1024);
    }

    @Override
    public OutputSize invalidExample() {
      return new OutputSize(512, 512);
    }
  }

  /**
   * 图生图 3.0: requested sides within [min, max]; the output is snapped to a multiple of 16 and
   * clamped to [outMin, outMax] (D-I2I30).
   */
  record SnappedRange(int min, int max, int outMin, int outMax, int defaultSide)
      implements SizeRule {

    @Override
    public OutputSize resolve(RequestFields fields, List<InputImage> inputs) {
      int width = side(fields, "width", defaultSide);
      int height = side(fields, "height", defaultSide);
      if (width < min || width > max || height < min || height > max) {
        throw invalid("width and height must be within [" + min + ", " + max + "]");
      }
      return new OutputSize(snap(width), snap(height));
    }

    private int snap(int side) {
      return Math.max(outMin, Math.min(outMax, Math.round(side / 16f) * 16));
    }

    @Override
    public OutputSize example() {
      return new OutputSize(1024, 768);
    }

    @Override
    public OutputSize invalidExample() {
      return new OutputSize(2048, 1024);
    }
  }

  /** 通用 1.1 图生图: no size parameter; the long side is fixed and the input's aspect kept (D-G11I). */
  record FollowInput(int longSide) implements SizeRule {

    @Override
    public OutputSize resolve(RequestFields fields, List<InputImage> inputs) {
      InputImage input = inputs.isEmpty() ? InputImage.UNKNOWN_SIZE : inputs.get(0);
      if (!input.sizeKnown()) {
        return new OutputSize(longSide, longSide);
      }
      double scale = (double) longSide / Math.max(input.width(), input.height());
      return new OutputSize(
          Math.max(1, (int) Math.round(input.width() * scale)),
          Math.max(1, (int) Math.round(input.height() * scale)));
    }

    @Override
    public OutputSize example() {
      return new OutputSize(longSide, longSide);
    }

    /**
     * Any size is accepted (ignored), so there is no invalid one; the check is on the input image.
     */
    @Override
    public OutputSize invalidExample() {
      return example();
    }
  }

  private static void checkArea(OutputSize size, long minArea, long maxArea) {
    if (size.width() <= 0 || size.height() <= 0 || size.area() < minArea || size.area() > maxArea) {
      throw invalid("width*height must be within [" + minArea + ", " + maxArea + "]");
    }
  }
}
