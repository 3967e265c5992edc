package com.volcstudio.connection;

import com.fasterxml.jackson.annotation.JsonValue;
import com.volcstudio.config.StudioProperties;
import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import com.volcstudio.volcengine.ArkConnection;
import com.volcstudio.volcengine.ArkProperties;
import com.volcstudio.volcengine.VisualConnection;
import com.volcstudio.volcengine.VolcCredentials;
import com.volcstudio.volcengine.VolcProperties;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers the app talks to right now. Keys stored from the settings override the
 * environment's, provider by provider; with no keys from either the app is in demo mode: it starts
 * the emulator on a loopback port with throw-away credentials (on first need, not before) and talks
 * to it over HTTP like to the real service. With keys it is live and talks to {@code VOLC_ENDPOINT}
 * / {@code ARK_ENDPOINT}.
 *
 * <p>Changing keys replaces the {@link Active} view as a whole. A task takes one view when it
 * starts and keeps it to the end, so it finishes against the endpoint and with the keys it started
 * with. The emulator, once started, runs until shutdown for the same reason: demo tasks still
 * running when keys are entered finish against it.
 */
public final class Providers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Providers.class);

  /** Where a provider's keys come from. */
  public enum Source {
    ENV,
    STORED;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Keys entered in the settings; a null part means "none stored, use the environment's". */
  public record StoredKeys(@Nullable VolcCredentials visual, @Nullable String arkApiKey) {
    public static final StoredKeys NONE = new StoredKeys(null, null);

    @Override
    public String toString() {
      return "StoredKeys[visual="
          + visual
          + ", arkApiKey="
          + (arkApiKey == null ? "none" : "****")
          + "]";
    }
  }

  /**
   * One consistent view of the connections. The sources are null in demo mode (no keys configured;
   * the connections then lead to the built-in emulator).
   */
  public record Active(
      StudioMode mode,
      @Nullable VisualConnection visualConnection,
      @Nullable ArkConnection arkConnection,
      @Nullable Source visualSource,
      @Nullable Source arkSource) {

    public Optional<VisualConnection> visual() {
      return Optional.ofNullable(visualConnection);
    }

    public Optional<ArkConnection> ark() {
      return Optional.ofNullable(arkConnection);
    }

    /** Why a provider cannot be used with this view, or empty when it can. */
    public Optional<String> unavailableReason(String provider) {
      return switch (provider) {
        case "visual" ->
            visualConnection == null
                ? Optional.of("VOLC_ACCESS_KEY / VOLC_SECRET_KEY are not configured")
                : Optional.empty();
        case "ark" ->
            arkConnection != null ? Optional.empty() : Optional.of("ARK_API_KEY is not configured");
        default -> Optional.of("unknown provider " + provider);
      };
    }
  }

  private final VolcProperties volc;
  private final ArkProperties arkProperties;
  private final DemoProperties demo;
  private final boolean replicated;
  private StoredKeys stored = StoredKeys.NONE;
  private volatile @Nullable Active active;
  private @Nullable VolcEmulator emulator;
  private @Nullable Active demoView;

  // The demo emulator's async tasks live here, so a restart finds them as the real service would.
  private final Path emulatorState;

  /**
   * @param replicated other replicas share this studio's tasks: in demo mode each has its own
   *     emulator, which the others cannot reach
   */
  public Providers(
      VolcProperties volc,
      ArkProperties ark,
      DemoProperties demo,
      StudioProperties studio,
      boolean replicated) {
    this.volc = volc;
    this.replicated = replicated;
    this.emulatorState = studio.dataDir().resolve("emulator");
    this.arkProperties = ark;
    this.demo = demo;
  }

  /**
   * The connections to use now. The first call in demo mode starts the emulator, a blocking bind:
   * the app resolves the view at start-up, and key changes go through {@link #useStored} off the
   * event loop.
   */
  public Active current() {
    Active view = active;
    return view != null ? view : resolve();
  }

  /**
   * Switches to these stored keys (or back to the environment's, or to demo mode) and returns the
   * new view. May start the emulator, so callers on an event loop move this to another thread.
   */
  public synchronized Active useStored(StoredKeys keys) {
    Active before = active;
    stored = keys;
    active = null;
    Active after = resolve();
    if (before != null && before.mode() != after.mode()) {
      log.info("Mode changed from {} to {}", before.mode().wireName(), after.mode().wireName());
    }
    return after;
  }

  /**
   * A connection to the configured visual endpoint with these keys (to try keys before storing
   * them).
   */
  public VisualConnection visualWith(VolcCredentials credentials) {
    return new VisualConnection(volc.endpoint(), credentials);
  }

  /** A connection to the configured Ark endpoint with this key. */
  public ArkConnection arkWith(String apiKey) {
    return new ArkConnection(arkProperties.endpoint(), apiKey);
  }

  public StudioMode mode() {
    return current().mode();
  }

  /** The visual API connection, empty when no visual credentials are configured in live mode. */
  public Optional<VisualConnection> visual() {
    return current().visual();
  }

  /** The Ark connection, empty when no Ark key is configured. */
  public Optional<ArkConnection> ark() {
    return current().ark();
  }

  /** Why a provider cannot be used right now, or empty when it can. */
  public Optional<String> unavailableReason(String provider) {
    return current().unavailableReason(provider);
  }

  private synchronized Active resolve() {
    Active view = active;
    if (view != null) {
      return view;
    }
    VolcCredentials visualKeys =
        stored.visual() != null ? stored.visual() : volc.configured() ? volc.credentials() : null;
    String arkKey =
        stored.arkApiKey() != null
            ? stored.arkApiKey()
            : arkProperties.configured() ? arkProperties.apiKey() : null;
    if (visualKeys != null || arkKey != null) {
      Source visualSource =
          stored.visual() != null ? Source.STORED : visualKeys != null ? Source.ENV : null;
      Source arkSource =
          stored.arkApiKey() != null ? Source.STORED : arkKey != null ? Source.ENV : null;
      view =
          new Active(
              StudioMode.LIVE,
              visualKeys == null ? null : new VisualConnection(volc.endpoint(), visualKeys),
              arkKey == null ? null : new ArkConnection(arkProperties.endpoint(), arkKey),
              visualSource,
              arkSource);
      log.info(
          "Live mode: visual API {}, Ark {}",
          visualKeys == null
              ? "not configured"
              : volc.endpoint() + " (" + visualSource.wireName() + " keys)",
          arkKey == null
              ? "not configured"
              : arkProperties.endpoint() + " (" + arkSource.wireName() + " key)");
    } else {
      view = demoView();
    }
    active = view;
    return view;
  }

  private Active demoView() {
    if (demoView == null) {
      // Fresh credentials each start: they never leave this process, so nothing can leak or go
      // stale.
      String accessKey = "AKLTdemo" + randomHex(12);
      String secretKey = randomHex(24);
      String arkKey = "ark-demo-" + randomHex(16);
      VolcEmulator started =
          VolcEmulator.start(
              EmulatorSettings.loopback(0, accessKey, secretKey, demo.latency())
                  .withArkApiKey(arkKey)
                  .withAsync(EmulatorSettings.Async.documented().withStateDir(emulatorState)));
      emulator = started;
      demoView =
          new Active(
              StudioMode.DEMO,
              new VisualConnection(started.endpoint(), new VolcCredentials(accessKey, secretKey)),
              new ArkConnection(URI.create(started.endpoint() + "/api/v3"), arkKey),
              null,
              null);
    }
    log.info(
        "Demo mode: no VolcEngine keys configured; images come from the built-in emulator at {}",
        demoView.visual().orElseThrow().endpoint());
    if (replicated) {
      log.warn(
          "Demo mode with replicas: each replica has an emulator of its own, so a demo task taken"
              + " over by another replica may not be found there. Store keys in Settings, or set"
              + " VOLC_ACCESS_KEY / VOLC_SECRET_KEY or ARK_API_KEY, for a real cluster.");
    }
    return demoView;
  }

  @Override
  public synchronized void close() {
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
