package com.volcstudio.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a model reaches an output size. Users ask for the output size; the catalog decides whether it
 * is native or reached through {@code use_sr}, which doubles both sides
 * (docs/volcengine/PROTOCOL.md §3.3). Besides per-side bounds a model may limit the pixel area and
 * the aspect ratio (即梦 3.1/4.0, Seedream on Ark).
 *
 * @param minSide smallest native side
 * @param maxSide largest native side
 * @param superResolution {@code use_sr} doubles a native size
 * @param minArea smallest width × height, or null
 * @param maxArea largest width × height, or null
 * @param minRatio smallest width / height, or null
 * @param maxRatio largest width / height, or null
 */
public record SizeRule(
    int minSide,
    int maxSide,
    boolean superResolution,
    @Nullable Long minArea,
    @Nullable Long maxArea,
    @Nullable Double minRatio,
    @Nullable Double maxRatio,
    int defaultWidth,
    int defaultHeight,
    List<SizePreset> presets) {

  public record SizePreset(int width, int height, String label) {}

  /** Upstream width, height and whether super-resolution doubles them into the requested size. */
  public record UpstreamSize(int width, int height, boolean useSuperResolution) {

    /** Ark's form of a size. */
    public String asSizeString() {
      return width + "x" + height;
    }
  }

  /** Smallest output side. */
  public int min() {
    return minSide;
  }

  /** Largest output side. */
  public int max() {
    return superResolution ? maxSide * 2 : maxSide;
  }

  public Optional<UpstreamSize> resolve(int width, int height) {
    if (isNative(width, height)) {
      return Optional.of(new UpstreamSize(width, height, false));
    }
    if (superResolution && width % 2 == 0 && height % 2 == 0 && isNative(width / 2, height / 2)) {
      return Optional.of(new UpstreamSize(width / 2, height / 2, true));
    }
    return Optional.empty();
  }

  /** Says in words which sizes work, for error messages. */
  public String describe() {
    List<String> rules = new ArrayList<>();
    rules.add(
        "sides "
            + minSide
            + "–"
            + maxSide
            + " px"
            + (superResolution
                ? " (or an even size "
                    + minSide * 2
                    + "–"
                    + maxSide * 2
                    + " px through super-resolution)"
                : ""));
    if (minArea != null && maxArea != null) {
      rules.add("width × height between " + minArea + " and " + maxArea + " pixels");
    }
    if (minRatio != null && maxRatio != null) {
      rules.add("width / height between " + ratio(minRatio) + " and " + ratio(maxRatio));
    }
    return String.join(", ", rules);
  }

  private boolean isNative(int width, int height) {
    long area = (long) width * height;
    double ratio = (double) width / height;
    return width >= minSide
        && width <= maxSide
        && height >= minSide
        && height <= maxSide
        && (minArea == null || area >= minArea)
        && (maxArea == null || area <= maxArea)
        && (minRatio == null || ratio >= minRatio - 1e-9)
        && (maxRatio == null || ratio <= maxRatio + 1e-9);
  }

  private static String ratio(double r) {
    return r >= 1
        ? (r == Math.rint(r) ? String.valueOf((long) r) : String.valueOf(r))
        : "1/" + Math.round(1 / r);
  }
}
