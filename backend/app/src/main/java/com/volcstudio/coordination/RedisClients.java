package com.volcstudio.coordination;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The one Lettuce client of REDIS_URL (its event loops and threads), shared by {@link SharedLimits}
 * and {@link Broadcasts}, which each open their own connections on it; none without REDIS_URL.
 */
@Component
class RedisClients implements DisposableBean {

  private final @Nullable RedisURI uri;
  private final @Nullable RedisClient client;

  private final @Nullable String cluster;

  @Autowired
  RedisClients(CoordinationProperties properties, Environment environment) {
    this(properties, environment.getProperty("spring.r2dbc.url", ""));
  }

  private RedisClients(CoordinationProperties properties, String databaseUrl) {
    this.uri =
        properties.shared() ? RedisURI.create(Objects.requireNonNull(properties.redisUrl())) : null;
    this.client = uri != null ? RedisClient.create(uri) : null;
    this.cluster =
        uri != null && databaseUrl.startsWith("r2dbc:postgresql")
            ? "studio:" + digest(databaseUrl)
            : null;
  }

  /**
   * The key prefix of the replicas of one studio: those sharing this Redis and one PostgreSQL
   * database (named by its URL, credentials aside, as the replicas' settings give it). Null when
   * there are none: without Redis, or on the H2 file, which no other process shares. Studios that
   * each keep their own database may share a Redis for one provider account's quota ({@link
   * SharedLimits}, keyed by the account), but never each other's events, sessions or queue.
   */
  @Nullable String cluster() {
    return cluster;
  }

  private static String digest(String databaseUrl) {
    String withoutCredentials = databaseUrl.replaceFirst("//[^/@]*@", "//");
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(withoutCredentials.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Where REDIS_URL points, for a client of another library (Spring Session's). */
  @Nullable RedisURI uri() {
    return uri;
  }

  static RedisClients none() {
    return new RedisClients(new CoordinationProperties(null), "");
  }

  @Nullable RedisClient client() {
    return client;
  }

  /** After the connections' owners have closed them (they depend on this bean). */
  @Override
  public void destroy() {
    if (client != null) {
      client.shutdown();
    }
  }
}
