package com.volcstudio.emulator;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An Ark image model and its rules (docs/volcengine/PROTOCOL.md §6.2, §6.3), as data.
 *
 * @param namedSizes {@code 1K}/{@code 2K}/{@code 4K} and the square the emulator draws for each
 *     (the real model picks the ratio)
 * @param minArea smallest {@code WxH} area
 * @param maxArea largest {@code WxH} area
 * @param maxRatio {@code WxH} aspect limit (long/short); 0 = none documented
 * @param adaptiveOnly SeedEdit: {@code size} may only be {@code adaptive}
 * @param minImages fewest input images
 * @param maxImages most input images
 * @param seed whether {@code seed} is a field of the model
 * @param guidance {@code guidance_scale} range and default, or null when the model has none
 * @param group whether {@code sequential_image_generation} is supported (4.x+)
 * @param reportsSize whether {@code data[].size} is in the answer (4.x+)
 * @param webSearch whether {@code tools: [{"type": "web_search"}]} is taken (5.0 lite)
 * @param pngOutput whether {@code output_format: png} is honoured (the 5.0 family; others always
 *     answer JPEG)
 * @param transparentBackground whether {@code background: "transparent"} is taken (5.0 pro, and
 *     flash per the docs, PROTOCOL-2026-12 §2)
 */
record ArkModel(
    String id,
    Map<String, OutputSize> namedSizes,
    long minArea,
    long maxArea,
    double maxRatio,
    String defaultSize,
    boolean adaptiveOnly,
    int minImages,
    int maxImages,
    boolean seed,
    @Nullable Guidance guidance,
    boolean group,
    boolean reportsSize,
    boolean webSearch,
    boolean pngOutput,
    boolean transparentBackground) {

  record Guidance(double min, double max, double defaultValue) {}

  /**
   * SeedEdit's fixed output sizes, the nearest to the input's ratio wins (D-ARK-IMG "adaptive").
   */
  static final List<OutputSize> ADAPTIVE_SIZES =
      List.of(
          new OutputSize(1024, 1024),
          new OutputSize(864, 1152),
          new OutputSize(1152, 864),
          new OutputSize(1280, 720),
          new OutputSize(720, 1280),
          new OutputSize(832, 1248),
          new OutputSize(1248, 832),
          new OutputSize(1512, 648),
          new OutputSize(648, 1512));

  private static final Map<String, OutputSize> K_SIZES =
      Map.of(
          "1K",
          new OutputSize(1024, 1024),
          "2K",
          new OutputSize(2048, 2048),
          "4K",
          new OutputSize(4096, 4096));

  private static final Map<String, OutputSize> K_2_4 =
      Map.of("2K", K_SIZES.get("2K"), "4K", K_SIZES.get("4K"));

  private static final Map<String, OutputSize> K_1_2 =
      Map.of("1K", K_SIZES.get("1K"), "2K", K_SIZES.get("2K"));

  private static final List<ArkModel> MODELS =
      List.of(
          new ArkModel(
              "doubao-seedream-3-0-t2i-250415",
              Map.of(),
              512L * 512,
              2048L * 2048,
              0,
              "1024x1024",
              false,
              0,
              0,
              true,
              new Guidance(1, 10, 2.5),
              false,
              false,
              false,
              false,
              false),
          new ArkModel(
              "doubao-seededit-3-0-i2i-250628",
              Map.of(),
              0,
              0,
              0,
              "adaptive",
              true,
              1,
              1,
              true,
              new Guidance(1, 10, 5.5),
              false,
              false,
              false,
              false,
              false),
          seedream(
              "doubao-seedream-4-0-250828", K_SIZES, 1280L * 720, 4096L * 4096, 10, true, false),
          // A newer 4.0: 4.0's rules (3P).
          seedream(
              "doubao-seedream-4-0-20260415", K_SIZES, 1280L * 720, 4096L * 4096, 10, true, false),
          // 4.5 per 3P: no 1K, area [3686400, 16777216].
          seedream("doubao-seedream-4-5-251128", K_2_4, 3_686_400L, 16_777_216L, 10, true, false),
          // 5.0 lite, first id and the id plan keys accept (3P tested): 4.5's limits, 14
          // references, web search (PROTOCOL-2026-12 §2).
          seedream("doubao-seedream-5-0-260128", K_2_4, 3_686_400L, 16_777_216L, 14, true, true),
          seedream(
              "doubao-seedream-5-0-lite-260128", K_2_4, 3_686_400L, 16_777_216L, 14, true, true),
          // 5.0 pro and flash: WxH in [921600, 4624220], 1K/2K tiers, 10 references, no image sets,
          // no web search (3P, live-tested; flash's area assumed as pro's, UNCERTAIN).
          seedream("doubao-seedream-5-0-pro-260628", K_1_2, 921_600L, 4_624_220L, 10, false, false),
          seedream(
              "doubao-seedream-5-0-flash-260915", K_1_2, 921_600L, 4_624_220L, 10, false, false));

  /**
   * Seedream 4.x and 5.0: named or WxH sizes, no seed or guidance, the size reported; the 5.0
   * family (its ids say so) answers PNG on request.
   */
  private static ArkModel seedream(
      String id,
      Map<String, OutputSize> namedSizes,
      long minArea,
      long maxArea,
      int maxImages,
      boolean group,
      boolean webSearch) {
    return new ArkModel(
        id,
        namedSizes,
        minArea,
        maxArea,
        16,
        "2048x2048",
        false,
        0,
        maxImages,
        false,
        null,
        group,
        true,
        webSearch,
        id.startsWith("doubao-seedream-5-0-"),
        id.startsWith("doubao-seedream-5-0-pro-") || id.startsWith("doubao-seedream-5-0-flash-"));
  }

  static Optional<ArkModel> find(String id) {
    return MODELS.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  static List<ArkModel> all() {
    return MODELS;
  }

  /** The output size for {@code size} (already defaulted), or the error naming {@code size}. */
  OutputSize resolve(String size, List<InputImage> inputs) {
    if (adaptiveOnly) {
      if (!size.equals("adaptive")) {
        throw new ArkRejection(ArkError.invalid("size", "this model only accepts adaptive"));
      }
      InputImage input = inputs.isEmpty() ? InputImage.UNKNOWN_SIZE : inputs.get(0);
      double ratio = input.sizeKnown() ? (double) input.width() / input.height() : 1;
      OutputSize best = ADAPTIVE_SIZES.get(0);
      for (OutputSize candidate : ADAPTIVE_SIZES) {
        if (Math.abs(Math.log((double) candidate.width() / candidate.height() / ratio))
            < Math.abs(Math.log((double) best.width() / best.height() / ratio))) {
          best = candidate;
        }
      }
      return best;
    }
    OutputSize named = namedSizes.get(size.toUpperCase());
    if (named != null) {
      return named;
    }
    String[] parts = size.toLowerCase().split("x");
    int width;
    int height;
    try {
      width = parts.length == 2 ? Integer.parseInt(parts[0]) : -1;
      height = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
    } catch (NumberFormatException e) {
      width = -1;
      height = -1;
    }
    if (width <= 0 || height <= 0) {
      throw new ArkRejection(
          ArkError.invalid(
              "size",
              "expected "
                  + String.join("/", namedSizes.keySet())
                  + (namedSizes.isEmpty() ? "" : " or ")
                  + "WIDTHxHEIGHT"));
    }
    OutputSize out = new OutputSize(width, height);
    if (out.area() < minArea || out.area() > maxArea) {
      throw new ArkRejection(
          ArkError.invalid(
              "size", "total pixels must be within [" + minArea + ", " + maxArea + "]"));
    }
    double ratio = (double) Math.max(width, height) / Math.min(width, height);
    if (maxRatio > 0 && ratio > maxRatio) {
      throw new ArkRejection(
          ArkError.invalid(
              "size",
              "aspect ratio must be within [1/" + (int) maxRatio + ", " + (int) maxRatio + "]"));
    }
    return out;
  }
}
