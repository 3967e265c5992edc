package com.volcstudio.coordination;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * "Something changed" between replicas (issue 18), through Redis pub/sub: a replica that changes
 * what the others keep in memory (the runtime settings, the provider keys, the queue's order, a
 * cancel) says so on a channel, with a short payload where one is needed (a task's id), and the
 * others act on it or read again from the shared database. Its own messages are not delivered back
 * to it. Only replicas of one studio hear each other (sharing Redis and one PostgreSQL database,
 * {@link RedisClients#cluster()}); without that nothing is sent and nothing arrives: there is no
 * other replica to tell.
 */
@Component
public class Broadcasts implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(Broadcasts.class);

  /** This process, so that it can tell its own messages from the others'. */
  private final String sender = UUID.randomUUID().toString();

  private static final char SEPARATOR = '\n';

  private final RedisClients clients;
  private final @Nullable RedisClient client;
  private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
  private final LazyConnection publisher;
  private @Nullable StatefulRedisPubSubConnection<String, String> subscriber;

  /** Channels are named under the studio's key prefix. */
  private final String prefix;

  Broadcasts(RedisClients clients) {
    this.clients = clients;
    this.publisher = new LazyConnection(clients);
    String cluster = clients.cluster();
    this.client = cluster == null ? null : clients.client();
    this.prefix = cluster == null ? "" : cluster + ":";
  }

  /** Tells the other replicas that {@code channel}'s subject changed; nothing without Redis. */
  public void publish(String channel) {
    publish(channel, "");
  }

  /** Tells the other replicas {@code payload} on {@code channel}; nothing without Redis. */
  public void publish(String channel, String payload) {
    if (client == null) {
      return;
    }
    // Connecting blocks: not on the caller's thread (an event loop).
    Mono.fromCallable(
            () -> publisher.get().sync().publish(prefix + channel, sender + SEPARATOR + payload))
        .subscribeOn(Schedulers.boundedElastic())
        .subscribe(
            receivers -> {},
            e ->
                log.warn(
                    "Could not tell the other replicas of a change on {}: {}",
                    channel,
                    e.toString()));
  }

  /**
   * Runs {@code listener} (on a thread that may block) whenever another replica publishes on {@code
   * channel}. Subscribes in the background, trying again until Redis answers; Lettuce subscribes
   * again by itself after a lost connection.
   */
  public void listen(String channel, Runnable listener) {
    listen(channel, payload -> listener.run());
  }

  /** {@link #listen(String, Runnable)}, given the payload. */
  public void listen(String channel, Consumer<String> listener) {
    if (client == null) {
      return;
    }
    listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
    Mono.fromRunnable(() -> subscriberConnection().sync().subscribe(prefix + channel))
        .subscribeOn(Schedulers.boundedElastic())
        .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofSeconds(2)))
        .subscribe(
            done -> {},
            e -> log.warn("Could not listen for changes on {}: {}", channel, e.toString()));
  }

  private synchronized StatefulRedisPubSubConnection<String, String> subscriberConnection() {
    if (subscriber == null) {
      StatefulRedisPubSubConnection<String, String> connection = clients.connectPubSub();
      connection.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
              int end = message.indexOf(SEPARATOR);
              String from = end < 0 ? message : message.substring(0, end);
              if (!sender.equals(from)) {
                delivered(
                    channel.substring(prefix.length()), end < 0 ? "" : message.substring(end + 1));
              }
            }
          });
      subscriber = connection;
    }
    return subscriber;
  }

  /** Lettuce delivers on its event loop: the listeners run elsewhere (they read the database). */
  private void delivered(String channel, String payload) {
    for (Consumer<String> listener : listeners.getOrDefault(channel, List.of())) {
      Mono.fromRunnable(() -> listener.accept(payload))
          .subscribeOn(Schedulers.boundedElastic())
          .subscribe(
              done -> {},
              e -> log.warn("A change on {} could not be applied here: {}", channel, e.toString()));
    }
  }

  @Override
  public synchronized void destroy() {
    if (subscriber != null) {
      subscriber.close();
    }
    publisher.close();
  }
}
