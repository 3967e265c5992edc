package com.volcstudio.emulator;

import com.volcengine.service.visual.IVisualService;
import com.volcengine.service.visual.impl.VisualServiceImpl;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official volc-sdk-java, pointed at an emulator: the independent witness that the emulator
 * speaks the real protocol. Its {@code VisualServiceImpl} is a process-wide singleton, so every
 * test points it again before use; tests run one at a time.
 */
final class OfficialSdk {

  static final String ACCESS_KEY = "AKLTofficialsdktests000000000001";
  static final String SECRET_KEY = "b2ZmaWNpYWwtc2RrLXRlc3RzLXNlY3JldA==";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private OfficialSdk() {}

  /**
   * Settings the SDK can talk to: our keys, and a wide clock window for tests that move the clock
   * by hours.
   */
  static EmulatorSettings settings(Duration latency) {
    EmulatorSettings base = EmulatorSettings.loopback(0, ACCESS_KEY, SECRET_KEY, latency);
    return new EmulatorSettings(
        base.host(),
        0,
        ACCESS_KEY,
        SECRET_KEY,
        latency,
        Duration.ofDays(30),
        true,
        base.quotas(),
        base.async(),
        base.jitter(),
        base.arkApiKey());
  }

  static IVisualService pointedAt(VolcEmulator emulator, String secretKey) {
    IVisualService sdk = VisualServiceImpl.getInstance();
    sdk.setHost("127.0.0.1:" + emulator.port());
    sdk.setScheme("http");
    sdk.setAccessKey(ACCESS_KEY);
    sdk.setSecretKey(secretKey);
    return sdk;
  }

  static IVisualService pointedAt(VolcEmulator emulator) {
    return pointedAt(emulator, SECRET_KEY);
  }

  /** The SDK answers a JSON object (fastjson); as a Jackson tree for assertions. */
  static JsonNode tree(Object sdkResult) {
    return JSON.valueToTree(sdkResult);
  }

  static String reqJson(Map<String, Object> options) {
    return JSON.writeValueAsString(options);
  }

  static JsonNode parse(String json) {
    return JSON.readTree(json);
  }
}
