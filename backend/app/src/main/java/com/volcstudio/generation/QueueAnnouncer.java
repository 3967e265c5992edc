package com.volcstudio.generation;

import com.volcstudio.settings.SettingsChanged;
import com.volcstudio.usage.MonthlyQuota;
import com.volcstudio.volcengine.UpstreamBreaker;
import com.volcstudio.volcengine.UpstreamBreakers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code queue.changed} and {@code usage.changed} on {@code /api/v1/events}, so the UI's queue
 * badge and quota meter follow without polling. Both are coalesced to at most one event per {@link
 * #INTERVAL}: a batch of 100 submits is a handful of events, and the last one always carries the
 * final state.
 */
@Component
class QueueAnnouncer implements SmartLifecycle {

  static final Duration INTERVAL = Duration.ofMillis(250);
  private static final Logger log = LoggerFactory.getLogger(QueueAnnouncer.class);

  /**
   * The queue now: tasks waiting, running, the slots for running ones, whether it is paused, and
   * the providers found unreachable, whose calls wait for them.
   */
  record QueueSummary(
      int waiting,
      int running,
      int concurrency,
      boolean paused,
      List<UpstreamBreaker.Outage> outages) {}

  private final TaskQueue queue;
  private final TaskDispatcher dispatcher;
  private final TaskEvents events;
  private final MonthlyQuota quota;
  private final TaskConcurrency concurrency;
  private final UpstreamBreakers breakers;
  private final Coalescer queueChanges;
  private final Coalescer usageChanges;
  private volatile Disposable imagesStored = () -> {};
  private volatile Disposable otherReplicas = () -> {};
  private volatile boolean running;
  private final AtomicReference<@Nullable QueueSummary> lastAnnounced = new AtomicReference<>();
  private final AtomicBoolean localChange = new AtomicBoolean();

  QueueAnnouncer(
      TaskQueue queue,
      TaskEvents events,
      MonthlyQuota quota,
      TaskConcurrency concurrency,
      UpstreamBreakers breakers,
      TaskDispatcher dispatcher) {
    this.dispatcher = dispatcher;
    this.queue = queue;
    this.events = events;
    this.quota = quota;
    this.concurrency = concurrency;
    this.breakers = breakers;
    this.queueChanges = new Coalescer(INTERVAL, Schedulers.parallel(), this::announceQueue);
    this.usageChanges = new Coalescer(INTERVAL, Schedulers.parallel(), this::announceUsage);
  }

  private void announceQueue() {
    TaskQueue.Counts counts = queue.counts();
    // On a shared database the running tasks of every replica, counted there.
    (dispatcher.shared() ? dispatcher.running() : Mono.just(counts.running()))
        .subscribe(
            running -> {
              QueueSummary now =
                  new QueueSummary(
                      counts.waiting(),
                      running,
                      concurrency.current(),
                      counts.paused(),
                      breakers.outages());
              // With replicas every task event asks (another replica's task may have started or
              // ended); most change nothing, and an unchanged queue is no news to 2,000 clients.
              // A change of this queue is news even when the figures stay (a move to the front).
              boolean local = localChange.getAndSet(false);
              if (!now.equals(lastAnnounced.getAndSet(now)) || local) {
                events.announce(TaskEvent.QUEUE_CHANGED, now);
              }
            },
            e -> log.warn("could not count the running tasks for queue.changed", e));
  }

  private void announceUsage() {
    // The same figure as quota in /api/v1/system/info and /api/v1/usage.
    quota
        .current()
        .subscribe(
            current -> events.announce(TaskEvent.USAGE_CHANGED, current),
            e -> log.warn("could not count this month's images for usage.changed", e));
  }

  /**
   * A changed concurrency or monthly quota (settings dialog) is news for the queue badge and the
   * quota meter too.
   */
  @EventListener(SettingsChanged.class)
  void settingsChanged() {
    queueChanged();
    usageChanges.request();
  }

  /** This replica's queue, its concurrency or a provider's outage changed. */
  private void queueChanged() {
    localChange.set(true);
    queueChanges.request();
  }

  /**
   * Listens from start-up: the queue tells of its changes, and a stored image is a {@code
   * task.image} event.
   */
  @Override
  public void start() {
    queue.onChange(this::queueChanged);
    breakers.onChange(this::queueChanged);
    imagesStored =
        events
            .live()
            .filter(e -> TaskEvent.IMAGE.equals(e.type()))
            .subscribe(e -> usageChanges.request());
    // Other replicas' tasks start and end without this queue's knowing: their events say so.
    otherReplicas =
        dispatcher.shared()
            ? events
                .live()
                .filter(e -> e.taskId() != null && !TaskEvent.IMAGE.equals(e.type()))
                .subscribe(e -> queueChanges.request())
            : () -> {};
    running = true;
  }

  @Override
  public void stop() {
    queue.onChange(() -> {});
    breakers.onChange(() -> {});
    imagesStored.dispose();
    otherReplicas.dispose();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
