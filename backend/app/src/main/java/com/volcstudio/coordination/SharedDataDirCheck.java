package com.volcstudio.coordination;

import com.volcstudio.config.InvalidSettingException;
import com.volcstudio.config.StudioProperties;
import com.volcstudio.storage.S3Properties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Replicas of one studio without S3_BUCKET keep their images as files under DATA_DIR, which they
 * must then share (one host, or a shared file system): an image stored by one must be readable by
 * the others. Each such replica leaves a marker file under {@code DATA_DIR/replicas} and says in
 * Redis that it lives; a replica starting beside live ones whose markers it cannot see has a
 * DATA_DIR of its own, which cannot be safe, so it says so in one line and stops.
 */
@Component
class SharedDataDirCheck implements SmartInitializingSingleton, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(SharedDataDirCheck.class);

  /** A replica that has not said it lives for this long is taken for gone. */
  private static final Duration ALIVE = Duration.ofMinutes(1);

  private static final Duration BEAT = Duration.ofSeconds(20);

  private final RedisClients clients;

  /** One connection for the check and the heartbeats, not a new one every 20 s. */
  private final LazyConnection connection;

  private final Path markers;
  private final boolean applies;
  private final String replica = UUID.randomUUID().toString();
  private @Nullable Disposable beating;

  SharedDataDirCheck(RedisClients clients, StudioProperties studio, S3Properties s3) {
    this.clients = clients;
    this.connection = new LazyConnection(clients);
    this.markers = studio.dataDir().resolve("replicas");
    this.applies = clients.cluster() != null && !s3.enabled();
  }

  private String key() {
    return clients.cluster() + ":replicas";
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (!applies) {
      return;
    }
    List<String> unseen;
    try {
      Files.createDirectories(markers);
      Files.writeString(markers.resolve(replica), "");
      var redis = connection.get().sync();
      long now = Long.parseLong(redis.time().get(0)) * 1000;
      redis.zremrangebyscore(key(), Double.NEGATIVE_INFINITY, now - ALIVE.toMillis());
      unseen =
          redis.zrange(key(), 0, -1).stream()
              .filter(other -> !Files.exists(markers.resolve(other)))
              .toList();
      redis.zadd(key(), now, replica);
    } catch (IOException | RuntimeException e) {
      log.warn("Could not check that the replicas share DATA_DIR: {}", e.toString());
      return;
    }
    if (!unseen.isEmpty()) {
      throw new InvalidSettingException(
          "DATA_DIR",
          "is not the one the other replicas of this studio use ("
              + unseen.size()
              + " of them live without a marker in "
              + markers
              + "): without S3_BUCKET every replica must mount the same DATA_DIR, or the images"
              + " one stores cannot be read through the others");
    }
    beating =
        Flux.interval(BEAT, BEAT)
            .onBackpressureDrop()
            .publishOn(Schedulers.boundedElastic())
            .subscribe(tick -> beat());
  }

  /** Says again that this replica lives (Redis's clock, like the check). */
  private void beat() {
    try {
      var redis = connection.get().sync();
      redis.zadd(key(), Long.parseLong(redis.time().get(0)) * 1000, replica);
    } catch (RuntimeException e) {
      log.debug("replica heartbeat: {}", e.toString());
    }
  }

  @Override
  public void destroy() {
    if (!applies) {
      return;
    }
    if (beating != null) {
      beating.dispose();
    }
    try {
      connection.get().sync().zrem(key(), replica);
    } catch (RuntimeException e) {
      log.debug("replica not removed from the live ones (it lapses): {}", e.toString());
    } finally {
      connection.close();
    }
    try {
      Files.deleteIfExists(markers.resolve(replica));
    } catch (IOException e) {
      log.debug("replica marker left: {}", e.toString());
    }
  }
}
