package com.volcstudio.retention;

import com.volcstudio.coordination.SingletonJobs;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs the cleanup every {@code RETENTION_INTERVAL}, the first time shortly after start-up (not at
 * once: start-up has unfinished tasks to resume first). A failed run is logged and the next one
 * tries again. With replicas sharing a PostgreSQL database only one of them cleans up ({@link
 * SingletonJobs}).
 */
@Component
class RetentionScheduler implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RetentionScheduler.class);
  static final Duration FIRST_RUN_AFTER = Duration.ofMinutes(1);

  private final RetentionService retention;
  private final SingletonJobs jobs;

  static final String JOB = "retention";

  /** The holder keeps the job while it runs every interval; another takes it a minute after. */
  private static final Duration HOLD_MARGIN = Duration.ofMinutes(1);

  private final Duration interval;
  private volatile @Nullable Disposable schedule;

  RetentionScheduler(
      RetentionService retention, RetentionProperties properties, SingletonJobs jobs) {
    this.retention = retention;
    this.jobs = jobs;
    this.interval = properties.interval();
  }

  @Override
  public void start() {
    Duration first = interval.compareTo(FIRST_RUN_AFTER) < 0 ? interval : FIRST_RUN_AFTER;
    schedule =
        Flux.interval(first, interval)
            // A cleanup still running when the next is due: skip that tick instead of queueing it.
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    // Once across replicas sharing a database: the one holding the job runs it.
                    jobs.mine(JOB, interval.plus(HOLD_MARGIN))
                        .filter(mine -> mine)
                        .flatMap(mine -> retention.cleanup())
                        .onErrorResume(
                            e -> {
                              log.warn(
                                  "Retention cleanup failed; the next one runs in {}", interval, e);
                              return Mono.empty();
                            }),
                1)
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable running = schedule;
    if (running != null) {
      running.dispose();
    }
    schedule = null;
  }

  @Override
  public boolean isRunning() {
    return schedule != null;
  }
}
