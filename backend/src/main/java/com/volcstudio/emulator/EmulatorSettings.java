package com.volcstudio.emulator;

import java.time.Duration;
import java.util.Map;

/**
 * How the emulator behaves. Where PROTOCOL.md marks the real service's behaviour UNCERTAIN, it is a
 * setting here.
 *
 * @param host address to bind; loopback unless you know why not
 * @param port port to bind; 0 picks a free one
 * @param accessKey the only access key id the emulated gateway knows
 * @param secretKey its secret
 * @param latency how long one image takes to "generate"
 * @param maxClockSkew how far X-Date may be from the emulator's clock (UNCERTAIN upstream; 3P says ~5 min)
 * @param verifyBodyHash recompute the body hash and compare it with X-Content-Sha256 (UNCERTAIN upstream)
 */
public record EmulatorSettings(
    String host,
    int port,
    String accessKey,
    String secretKey,
    Duration latency,
    Duration maxClockSkew,
    boolean verifyBodyHash) {

  public static final String DEFAULT_ACCESS_KEY = "AKLTemulator0000000000000000demo";
  public static final String DEFAULT_SECRET_KEY = "ZW11bGF0b3Itc2VjcmV0LWtleS1mb3ItZGVtbw==";
  public static final int DEFAULT_PORT = 18090;

  public EmulatorSettings withPort(int newPort) {
    return new EmulatorSettings(host, newPort, accessKey, secretKey, latency, maxClockSkew, verifyBodyHash);
  }

  /** Loopback, given credentials and latency; the rest at their safe defaults. */
  public static EmulatorSettings loopback(int port, String accessKey, String secretKey, Duration latency) {
    return new EmulatorSettings("127.0.0.1", port, accessKey, secretKey, latency, Duration.ofMinutes(5), true);
  }

  /** Reads {@code EMULATOR_*} variables, for the standalone emulator. */
  public static EmulatorSettings fromEnvironment(Map<String, String> env) {
    return new EmulatorSettings(
        env.getOrDefault("EMULATOR_HOST", "127.0.0.1"),
        Integer.parseInt(env.getOrDefault("EMULATOR_PORT", String.valueOf(DEFAULT_PORT))),
        env.getOrDefault("EMULATOR_ACCESS_KEY", DEFAULT_ACCESS_KEY),
        env.getOrDefault("EMULATOR_SECRET_KEY", DEFAULT_SECRET_KEY),
        Duration.ofMillis(Long.parseLong(env.getOrDefault("EMULATOR_LATENCY_MS", "1500"))),
        Duration.ofSeconds(Long.parseLong(env.getOrDefault("EMULATOR_MAX_CLOCK_SKEW_SECONDS", "300"))),
        Boolean.parseBoolean(env.getOrDefault("EMULATOR_VERIFY_BODY_HASH", "true")));
  }
}
