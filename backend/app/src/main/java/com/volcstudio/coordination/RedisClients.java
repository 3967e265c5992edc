package com.volcstudio.coordination;

import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  private static final Duration CONNECT_WAIT = Duration.ofSeconds(5);

  private final @Nullable RedisURI uri;
  private volatile boolean closed;
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

  /**
   * A new connection, or an error after {@link #CONNECT_WAIT}. Lettuce's own {@code connect()}
   * waits for its future without a limit, and a connect begun while the client shuts down (a
   * context closing) never completed: the owner holding its lock then hung the shutdown.
   */
  StatefulRedisConnection<String, String> connect() {
    return await(
        Objects.requireNonNull(client).connectAsync(StringCodec.UTF8, Objects.requireNonNull(uri)));
  }

  /** {@link #connect()} for publish/subscribe. */
  StatefulRedisPubSubConnection<String, String> connectPubSub() {
    return await(
        Objects.requireNonNull(client)
            .connectPubSubAsync(StringCodec.UTF8, Objects.requireNonNull(uri)));
  }

  private <C> C await(ConnectionFuture<C> connecting) {
    if (closed) {
      throw new IllegalStateException("Redis client closed");
    }
    try {
      return connecting.get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to Redis", e);
    } catch (ExecutionException | TimeoutException e) {
      connecting.cancel(true);
      throw new IllegalStateException("could not connect to Redis: " + e, e);
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
    closed = true;
    if (client != null) {
      client.shutdown();
    }
  }
}
