package com.volcstudio.coordination;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One connection of {@link RedisClients}, opened at its first use rather than at start-up (a Redis
 * that is down does not stop the start; Lettuce reconnects a lost connection by itself) and closed
 * by its owner.
 */
final class LazyConnection implements AutoCloseable {

  private final RedisClients clients;
  private @Nullable StatefulRedisConnection<String, String> connection;

  LazyConnection(RedisClients clients) {
    this.clients = clients;
  }

  /** The reactive commands; connecting blocks, so a first use connects off the caller's thread. */
  Mono<RedisReactiveCommands<String, String>> reactive() {
    StatefulRedisConnection<String, String> open = current();
    if (open != null) {
      return Mono.just(open.reactive());
    }
    return Mono.fromCallable(this::get)
        .subscribeOn(Schedulers.boundedElastic())
        .map(StatefulRedisConnection::reactive);
  }

  /** The connection, opened now if it is not yet: blocks, so never on an event loop. */
  synchronized StatefulRedisConnection<String, String> get() {
    if (connection == null) {
      connection = clients.connect();
    }
    return connection;
  }

  private synchronized @Nullable StatefulRedisConnection<String, String> current() {
    return connection;
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      connection.close();
    }
  }
}
