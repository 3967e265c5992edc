package com.volcstudio.emulator;

import java.util.Map;
import java.util.Optional;

/**
 * What the emulated service knows of a req_key: the native output side range and whether
 * {@code use_sr} doubles the output (PROTOCOL §3.3).
 */
record EmulatedModel(String reqKey, int minSide, int maxSide, boolean superResolution, int defaultSide) {

  private static final Map<String, EmulatedModel> SYNC_MODELS = Map.of(
      "high_aes_general_v20", new EmulatedModel("high_aes_general_v20", 256, 680, true, 512),
      "high_aes_general_v20_L", new EmulatedModel("high_aes_general_v20_L", 256, 768, true, 512),
      "high_aes_general_v21_L", new EmulatedModel("high_aes_general_v21_L", 256, 768, true, 512),
      "jimeng_high_aes_general_v21_L", new EmulatedModel("jimeng_high_aes_general_v21_L", 256, 768, true, 512),
      "high_aes_general_v30l_zt2i", new EmulatedModel("high_aes_general_v30l_zt2i", 512, 2048, false, 1328));

  /** A req_key served by {@code CVProcess}. */
  static Optional<EmulatedModel> sync(String reqKey) {
    return Optional.ofNullable(SYNC_MODELS.get(reqKey));
  }
}
