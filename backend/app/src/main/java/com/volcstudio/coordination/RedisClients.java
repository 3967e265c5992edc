package com.volcstudio.coordination;

import io.lettuce.core.RedisClient;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The one Lettuce client of REDIS_URL (its event loops and threads), shared by {@link SharedLimits}
 * and {@link Broadcasts}, which each open their own connections on it; none without REDIS_URL.
 */
@Component
class RedisClients implements DisposableBean {

  private final @Nullable RedisClient client;

  RedisClients(CoordinationProperties properties) {
    this.client =
        properties.shared()
            ? RedisClient.create(Objects.requireNonNull(properties.redisUrl()))
            : null;
  }

  static RedisClients none() {
    return new RedisClients(new CoordinationProperties(null));
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
