package com.volcstudio.catalog;

import java.util.List;
import java.util.Optional;

/**
 * How a model reaches an output size. Users ask for the output size; the catalog decides whether it is
 * native or reached through {@code use_sr}, which doubles both sides (PROTOCOL §3.3).
 */
public record SizeRule(
    int nativeMin, int nativeMax, boolean superResolution, int defaultWidth, int defaultHeight, List<SizePreset> presets) {

  public record SizePreset(int width, int height, String label) {}

  /** Upstream width, height and whether super-resolution doubles them into the requested size. */
  public record UpstreamSize(int width, int height, boolean useSuperResolution) {}

  public int min() {
    return nativeMin;
  }

  public int max() {
    return superResolution ? nativeMax * 2 : nativeMax;
  }

  public Optional<UpstreamSize> resolve(int width, int height) {
    if (isNative(width) && isNative(height)) {
      return Optional.of(new UpstreamSize(width, height, false));
    }
    if (superResolution && width % 2 == 0 && height % 2 == 0 && isNative(width / 2) && isNative(height / 2)) {
      return Optional.of(new UpstreamSize(width / 2, height / 2, true));
    }
    return Optional.empty();
  }

  /** Says in words which sizes work, for error messages. */
  public String describe() {
    return superResolution
        ? nativeMin + "–" + nativeMax + " px, or an even size " + nativeMin * 2 + "–" + nativeMax * 2 + " px"
        : nativeMin + "–" + nativeMax + " px";
  }

  private boolean isNative(int side) {
    return side >= nativeMin && side <= nativeMax;
  }
}
