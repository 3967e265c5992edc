package com.volcstudio.system;

import com.volcstudio.config.StudioProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code storage} in {@code /actuator/health} and its readiness group: DATA_DIR exists, a file can
 * be created in it, and it has at least {@code MIN_FREE_DISK_MB} free. Each failure is DOWN with a
 * {@code reason} that says what to fix; a task that cannot write its image would fail anyway, later
 * and less clearly. Turned off with {@code management.health.storage.enabled=false}.
 */
@Component
@ConditionalOnEnabledHealthIndicator("storage")
class StorageHealthIndicator extends AbstractReactiveHealthIndicator {

  private static final long MB = 1024 * 1024;

  private final Path dataDir;
  private final long minFreeMb;

  StorageHealthIndicator(
      StudioProperties properties,
      @Value("${management.health.storage.min-free-disk-mb:500}") long minFreeMb) {
    super("Storage health check failed");
    this.dataDir = properties.dataDir();
    this.minFreeMb = minFreeMb;
  }

  @Override
  protected Mono<Health> doHealthCheck(Health.Builder builder) {
    // Creating a file and asking the file system for free space are blocking calls: not on the
    // event loop.
    return Mono.fromCallable(() -> check(builder)).subscribeOn(Schedulers.boundedElastic());
  }

  private Health check(Health.Builder builder) {
    builder.withDetail("path", dataDir.toString()).withDetail("minFreeMb", minFreeMb);
    if (!Files.isDirectory(dataDir)) {
      return builder
          .down()
          .withDetail(
              "reason",
              "DATA_DIR "
                  + dataDir
                  + (Files.exists(dataDir) ? " is not a directory" : " does not exist"))
          .build();
    }
    try {
      Path probe = Files.createTempFile(dataDir, ".health-", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      return builder
          .down()
          .withDetail(
              "reason",
              "DATA_DIR " + dataDir + " is not writable (" + e.getClass().getSimpleName() + ")")
          .build();
    }
    long freeMb;
    try {
      freeMb = Files.getFileStore(dataDir).getUsableSpace() / MB;
    } catch (IOException e) {
      return builder
          .down()
          .withDetail(
              "reason",
              "cannot read the free space of DATA_DIR " + dataDir + " (" + e.getMessage() + ")")
          .build();
    }
    builder.withDetail("freeMb", freeMb);
    if (freeMb < minFreeMb) {
      return builder
          .down()
          .withDetail(
              "reason",
              "only "
                  + freeMb
                  + " MB free in DATA_DIR "
                  + dataDir
                  + ", below MIN_FREE_DISK_MB="
                  + minFreeMb
                  + "; free some space or move DATA_DIR")
          .build();
    }
    return builder.up().build();
  }
}
