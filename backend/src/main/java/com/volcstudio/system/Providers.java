package com.volcstudio.system;

import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import com.volcstudio.volcengine.ArkConnection;
import com.volcstudio.volcengine.ArkProperties;
import com.volcstudio.volcengine.VisualConnection;
import com.volcstudio.volcengine.VolcCredentials;
import com.volcstudio.volcengine.VolcProperties;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers this run talks to. With no keys at all the app is in demo mode: it starts the
 * emulator on a loopback port with throw-away credentials and talks to it over HTTP like to the real
 * service. With keys it is live and talks to {@code VOLC_ENDPOINT} / {@code ARK_ENDPOINT}.
 */
public final class Providers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Providers.class);

  private final StudioMode mode;
  private final @Nullable VisualConnection visual;
  private final @Nullable ArkConnection ark;
  private final @Nullable VolcEmulator emulator;

  private Providers(StudioMode mode, @Nullable VisualConnection visual, @Nullable ArkConnection ark, @Nullable VolcEmulator emulator) {
    this.mode = mode;
    this.visual = visual;
    this.ark = ark;
    this.emulator = emulator;
  }

  static Providers start(VolcProperties volc, ArkProperties ark, DemoProperties demo) {
    if (volc.configured() || ark.configured()) {
      VisualConnection visual = volc.configured() ? new VisualConnection(volc.endpoint(), volc.credentials()) : null;
      ArkConnection arkConnection = ark.configured() ? new ArkConnection(ark.endpoint(), ark.apiKey()) : null;
      log.info("Live mode: visual API {}, Ark {}", visual == null ? "not configured" : volc.endpoint(),
          arkConnection == null ? "not configured" : ark.endpoint());
      return new Providers(StudioMode.LIVE, visual, arkConnection, null);
    }
    // Fresh credentials each start: they never leave this process, so nothing can leak or go stale.
    String accessKey = "AKLTdemo" + randomHex(12);
    String secretKey = randomHex(24);
    String arkKey = "ark-demo-" + randomHex(16);
    VolcEmulator emulator = VolcEmulator.start(
        EmulatorSettings.loopback(0, accessKey, secretKey, demo.latency()).withArkApiKey(arkKey));
    log.info("Demo mode: no VolcEngine keys configured; images come from the built-in emulator at {}", emulator.endpoint());
    return new Providers(StudioMode.DEMO, new VisualConnection(emulator.endpoint(), new VolcCredentials(accessKey, secretKey)),
        new ArkConnection(URI.create(emulator.endpoint() + "/api/v3"), arkKey), emulator);
  }

  public StudioMode mode() {
    return mode;
  }

  /** The visual API connection, empty when no visual credentials are configured in live mode. */
  public Optional<VisualConnection> visual() {
    return Optional.ofNullable(visual);
  }

  /** The Ark connection, empty when no Ark key is configured. */
  public Optional<ArkConnection> ark() {
    return Optional.ofNullable(ark);
  }

  /** Why a provider cannot be used right now, or empty when it can. */
  public Optional<String> unavailableReason(String provider) {
    return switch (provider) {
      case "visual" -> visual == null ? Optional.of("VOLC_ACCESS_KEY / VOLC_SECRET_KEY are not configured") : Optional.empty();
      case "ark" -> ark != null ? Optional.empty() : Optional.of("ARK_API_KEY is not configured");
      default -> Optional.of("unknown provider " + provider);
    };
  }

  @Override
  public void close() {
    if (emulator != null) {
      emulator.close();
    }
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
