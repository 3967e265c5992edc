package com.volcstudio.emulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How the emulator behaves. Where docs/volcengine/PROTOCOL.md marks the real service's behaviour
 * UNCERTAIN, it is a setting here.
 *
 * @param host address to bind; loopback unless you know why not
 * @param port port to bind; 0 picks a free one
 * @param accessKey the only access key id the emulated gateway knows
 * @param secretKey its secret
 * @param latency how long one image takes to "generate"
 * @param maxClockSkew how far X-Date may be from the emulator's clock (UNCERTAIN upstream; 3P says
 *     ~5 min)
 * @param verifyBodyHash recompute the body hash and compare it with X-Content-Sha256 (UNCERTAIN
 *     upstream)
 * @param quotas the account's QPS and concurrency limits (docs/volcengine/PROTOCOL.md §3.3 "Default
 *     quotas", §5.1)
 * @param async lifetimes of async tasks and result URLs, and the pending GetResult shape (§3.1,
 *     §3.2)
 * @param jitter extra random latency on top of {@code latency}, drawn from a seeded generator
 * @param arkApiKey the only API key the emulated Ark endpoint accepts as {@code Authorization:
 *     Bearer} (§6.1)
 */
public record EmulatorSettings(
    String host,
    int port,
    String accessKey,
    String secretKey,
    Duration latency,
    Duration maxClockSkew,
    boolean verifyBodyHash,
    Quotas quotas,
    Async async,
    Jitter jitter,
    String arkApiKey) {

  public static final String DEFAULT_ACCESS_KEY = "AKLTemulator0000000000000000demo";
  public static final String DEFAULT_SECRET_KEY = "ZW11bGF0b3Itc2VjcmV0LWtleS1mb3ItZGVtbw==";
  static final String DEFAULT_ARK_API_KEY = "ark-emulator-0000-demo-key";
  static final int DEFAULT_PORT = 18090;

  /**
   * Requests per second per action family and images generating at once; 0 means no limit.
   *
   * @param cvProcessQps synchronous calls ({@code CVProcess}, {@code HighAesSmartDrawing})
   * @param submitQps {@code CVSync2AsyncSubmitTask}
   * @param queryQps {@code CVSync2AsyncGetResult}; the one documented figure: 10 free / 20 paid
   *     (D-G20PA)
   * @param cancelQps {@code CVCancelTask}
   * @param arkQps Ark {@code images/generations}
   * @param concurrency synchronous calls in flight plus async tasks not yet done (3P: 1 free / 2
   *     paid)
   */
  public record Quotas(
      int cvProcessQps, int submitQps, int queryQps, int cancelQps, int arkQps, int concurrency) {

    /**
     * A paid account as far as the docs tell: query QPS 20, concurrency 2, the rest guessed at 10.
     */
    static Quotas standard() {
      return new Quotas(10, 10, 20, 10, 10, 2);
    }

    static Quotas unlimited() {
      return new Quotas(0, 0, 0, 0, 0, 0);
    }
  }

  /**
   * @param taskLifetime after this an async task answers {@code expired}, after twice this {@code
   *     not_found} (12 h, §3.1)
   * @param resultUrlLifetime how long {@code return_url} links work; null = each model's documented
   *     lifetime (1 h / 24 h, §3.2)
   * @param pendingResult what GetResult's {@code data} carries while a task is not done (UNCERTAIN,
   *     §3.1)
   * @param stateDir where tasks are journalled so that they outlive a restart, as the real service
   *     keeps them for their lifetime; null keeps them in memory only
   */
  public record Async(
      Duration taskLifetime,
      @Nullable Duration resultUrlLifetime,
      PendingResult pendingResult,
      @Nullable Path stateDir) {

    public static Async documented() {
      return new Async(Duration.ofHours(12), null, PendingResult.STATUS_ONLY, null);
    }

    public Async withStateDir(@Nullable Path dir) {
      return new Async(taskLifetime, resultUrlLifetime, pendingResult, dir);
    }
  }

  /**
   * The shape of GetResult's {@code data} for an unfinished task, which no official source shows.
   */
  public enum PendingResult {
    /** {@code {"status":"in_queue"}}: image fields absent, as 3P test doubles answer. */
    STATUS_ONLY,
    /** {@code {"status":…,"binary_data_base64":null,"image_urls":null}}. */
    NULL_IMAGES,
    /** {@code {"status":…,"binary_data_base64":[],"image_urls":[]}}. */
    EMPTY_IMAGES
  }

  /** Up to {@code max} extra latency per image, reproducible for a given {@code seed}. */
  public record Jitter(Duration max, long seed) {

    static Jitter none() {
      return new Jitter(Duration.ZERO, 0);
    }
  }

  EmulatorSettings withPort(int newPort) {
    return new EmulatorSettings(
        host,
        newPort,
        accessKey,
        secretKey,
        latency,
        maxClockSkew,
        verifyBodyHash,
        quotas,
        async,
        jitter,
        arkApiKey);
  }

  public EmulatorSettings withQuotas(Quotas newQuotas) {
    return new EmulatorSettings(
        host,
        port,
        accessKey,
        secretKey,
        latency,
        maxClockSkew,
        verifyBodyHash,
        newQuotas,
        async,
        jitter,
        arkApiKey);
  }

  public EmulatorSettings withAsync(Async newAsync) {
    return new EmulatorSettings(
        host,
        port,
        accessKey,
        secretKey,
        latency,
        maxClockSkew,
        verifyBodyHash,
        quotas,
        newAsync,
        jitter,
        arkApiKey);
  }

  public EmulatorSettings withJitter(Jitter newJitter) {
    return new EmulatorSettings(
        host,
        port,
        accessKey,
        secretKey,
        latency,
        maxClockSkew,
        verifyBodyHash,
        quotas,
        async,
        newJitter,
        arkApiKey);
  }

  public EmulatorSettings withArkApiKey(String newKey) {
    return new EmulatorSettings(
        host,
        port,
        accessKey,
        secretKey,
        latency,
        maxClockSkew,
        verifyBodyHash,
        quotas,
        async,
        jitter,
        newKey);
  }

  /**
   * Loopback, given credentials and latency; the rest at their safe defaults. Quotas are off here:
   * this is what the app's demo mode and tests run against, and the app enforces its own limits.
   */
  public static EmulatorSettings loopback(
      int port, String accessKey, String secretKey, Duration latency) {
    return new EmulatorSettings(
        "127.0.0.1",
        port,
        accessKey,
        secretKey,
        latency,
        Duration.ofMinutes(5),
        true,
        Quotas.unlimited(),
        Async.documented(),
        Jitter.none(),
        DEFAULT_ARK_API_KEY);
  }

  /** Reads {@code EMULATOR_*} variables, for the standalone emulator. */
  static EmulatorSettings fromEnvironment(Map<String, String> env) {
    EnvironmentReader read = new EnvironmentReader(env);
    Quotas standard = Quotas.standard();
    int qps = read.integer("EMULATOR_QPS", -1);
    Quotas quotas =
        new Quotas(
            read.integer("EMULATOR_QPS_CVPROCESS", qps >= 0 ? qps : standard.cvProcessQps()),
            read.integer("EMULATOR_QPS_SUBMIT", qps >= 0 ? qps : standard.submitQps()),
            read.integer("EMULATOR_QPS_QUERY", qps >= 0 ? qps : standard.queryQps()),
            read.integer("EMULATOR_QPS_CANCEL", qps >= 0 ? qps : standard.cancelQps()),
            read.integer("EMULATOR_QPS_ARK", qps >= 0 ? qps : standard.arkQps()),
            read.integer("EMULATOR_CONCURRENCY", standard.concurrency()));
    long urlSeconds = read.integer("EMULATOR_RESULT_URL_LIFETIME_SECONDS", 0);
    Async async =
        new Async(
            Duration.ofSeconds(read.integer("EMULATOR_TASK_LIFETIME_SECONDS", 12 * 3600)),
            urlSeconds > 0 ? Duration.ofSeconds(urlSeconds) : null,
            PendingResult.valueOf(
                env.getOrDefault("EMULATOR_PENDING_RESULT", "STATUS_ONLY").toUpperCase()),
            env.containsKey("EMULATOR_STATE_DIR") && !env.get("EMULATOR_STATE_DIR").isBlank()
                ? Path.of(env.get("EMULATOR_STATE_DIR"))
                : null);
    return new EmulatorSettings(
        env.getOrDefault("EMULATOR_HOST", "127.0.0.1"),
        read.integer("EMULATOR_PORT", DEFAULT_PORT),
        env.getOrDefault("EMULATOR_ACCESS_KEY", DEFAULT_ACCESS_KEY),
        env.getOrDefault("EMULATOR_SECRET_KEY", DEFAULT_SECRET_KEY),
        Duration.ofMillis(read.integer("EMULATOR_LATENCY_MS", 1500)),
        Duration.ofSeconds(read.integer("EMULATOR_MAX_CLOCK_SKEW_SECONDS", 300)),
        Boolean.parseBoolean(env.getOrDefault("EMULATOR_VERIFY_BODY_HASH", "true")),
        quotas,
        async,
        new Jitter(
            Duration.ofMillis(read.integer("EMULATOR_LATENCY_JITTER_MS", 0)),
            read.integer("EMULATOR_JITTER_SEED", 1)),
        env.getOrDefault("EMULATOR_ARK_API_KEY", DEFAULT_ARK_API_KEY));
  }

  /** Secrets stay out of logs. */
  @Override
  public String toString() {
    return "EmulatorSettings[host="
        + host
        + ", port="
        + port
        + ", accessKey="
        + accessKey
        + ", latency="
        + latency
        + ", quotas="
        + quotas
        + ", async="
        + async
        + ", jitter="
        + jitter
        + "]";
  }

  private record EnvironmentReader(Map<String, String> env) {
    int integer(String name, int fallback) {
      String value = env.get(name);
      return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
  }
}
