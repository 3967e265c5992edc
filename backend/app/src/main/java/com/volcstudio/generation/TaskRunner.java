package com.volcstudio.generation;

import com.volcstudio.account.Scope;
import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.GenerationParams;
import com.volcstudio.catalog.Lifecycle;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.config.StudioProperties;
import com.volcstudio.connection.Providers;
import com.volcstudio.image.ImageStore;
import com.volcstudio.image.StorageFailure;
import com.volcstudio.image.StoredImage;
import com.volcstudio.provider.ImageProvider;
import com.volcstudio.provider.ImageProviders;
import com.volcstudio.provider.ImageRequest;
import com.volcstudio.provider.UpstreamJobs;
import com.volcstudio.upload.ReferenceImage;
import com.volcstudio.upload.ReferenceImageGoneException;
import com.volcstudio.upload.Uploads;
import com.volcstudio.usage.UsageCounting;
import com.volcstudio.usage.UsageLedger;
import com.volcstudio.volcengine.ArkClient;
import com.volcstudio.volcengine.QuotaGovernor;
import com.volcstudio.volcengine.UpstreamError;
import com.volcstudio.volcengine.VolcApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.function.Tuple2;

/**
 * Runs one task to the end: each missing image is generated, stored and announced in turn. Images a
 * previous run already stored are skipped, so a task resumed after a crash finishes without doing
 * them twice. How an image is obtained upstream is the model's {@link ImageProvider}'s business;
 * this class keeps the task's lifecycle: status, progress, events, deadline, storage, cancellation.
 */
@Component
class TaskRunner {

  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);
  private static final Duration TICK = Duration.ofMillis(700);

  /** The beat that writes where an image's progress starts, before the first tick. */
  private static final long FIRST = -1;

  private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(10);

  /**
   * After {@code TASK_DEADLINE}, the time a retry already under way may take to fail: the longest
   * pause between retries and a call's read timeout.
   */
  private static final Duration DEADLINE_GRACE = Duration.ofMinutes(3);

  /**
   * Span of the progress bar given to generating images; the rest is submitting (0–10) and
   * finishing.
   */
  private static final int GENERATING_FROM = 10;

  private static final int GENERATING_TO = 95;

  private final TaskRepository tasks;
  private final TaskEvents events;
  private final ImageStore images;
  private final ModelCatalog catalog;
  private final ImageProviders upstream;
  private final Providers providers;
  private final UpstreamJobRepository jobs;
  private final TaskCancellations cancellations;
  private final GenerationMetrics metrics;
  private final Uploads uploads;
  private final UsageCounting counting;
  private final Duration deadline;
  private final Clock clock = Clock.systemUTC();

  TaskRunner(
      TaskRepository tasks,
      TaskEvents events,
      ImageStore images,
      ModelCatalog catalog,
      ImageProviders upstream,
      Providers providers,
      UpstreamJobRepository jobs,
      TaskCancellations cancellations,
      GenerationMetrics metrics,
      Uploads uploads,
      UsageCounting counting,
      StudioProperties properties) {
    this.deadline = properties.taskDeadline();
    this.uploads = uploads;
    this.counting = counting;
    this.tasks = tasks;
    this.events = events;
    this.images = images;
    this.catalog = catalog;
    this.upstream = upstream;
    this.providers = providers;
    this.jobs = jobs;
    this.cancellations = cancellations;
    this.metrics = metrics;
  }

  /**
   * Runs the task; {@code callsDone} is told once its last upstream call has returned (or it will
   * make none), while the last image may still be being stored.
   */
  Mono<Void> run(String taskId, long fence, Runnable callsDone) {
    return tasks
        .findById(taskId)
        .filter(task -> !task.status().terminal())
        .flatMap(
            task -> {
              String modelId = task.params().model();
              CatalogModel model = catalog.find(modelId).orElse(null);
              // One view of the connections for the whole task: keys changed in the settings
              // meanwhile apply to
              // the next task, while this one finishes where it started (an async job polls where
              // it was submitted).
              Providers.Active connections = providers.current();
              if (model == null || connections.unavailableReason(model.provider()).isPresent()) {
                return fail(
                    task,
                    fence,
                    new TaskError(
                        "MODEL_UNAVAILABLE",
                        "model " + modelId + " cannot be used now",
                        "模型 " + modelId + " 当前不可用（未配置密钥或已从目录中移除）。",
                        "Model "
                            + modelId
                            + " is not available (no key configured, or removed from the catalog).",
                        false));
              }
              Lifecycle lifecycle = model.lifecycle();
              if (lifecycle != null && lifecycle.retired(clock.instant())) {
                // Queued before the retirement, or retried after it: the provider would refuse it,
                // so it is not sent; the explanation names what to use instead.
                return fail(task, fence, retired(modelId, lifecycle));
              }
              AtomicBoolean cancelled = new AtomicBoolean();
              AtomicReference<TaskError> partlyFailed = new AtomicReference<>();
              return tasks
                  .markRunning(taskId, fence, clock.instant())
                  .filter(held -> held)
                  .switchIfEmpty(Mono.error(() -> new ClaimLostException(taskId)))
                  .then(events.publish(TaskEvent.PROGRESS, taskId))
                  .then(
                      task.params().sequential()
                          ? generateSet(task, fence, model, connections, callsDone, partlyFailed)
                          : generateMissing(task, fence, model, connections, callsDone))
                  .then(Mono.defer(() -> complete(task, fence, partlyFailed.get())))
                  .doOnSuccess(done -> metrics.taskFinished(modelId, TaskStatus.COMPLETED))
                  .then(events.publish(TaskEvent.COMPLETED, taskId))
                  // The upstream retries stop at the deadline and fail with their last
                  // explanation; the timeout, a little later, ends what has no retries to stop
                  // (an asynchronous job that never finishes, a stalled storage).
                  .timeout(deadline.plus(DEADLINE_GRACE))
                  .contextWrite(QuotaGovernor.deadlineIn(deadline))
                  // Another process claimed the task meanwhile: its run goes on, this one ends.
                  .onErrorResume(ClaimLostException.class, lost -> lostClaim(taskId))
                  .onErrorResume(e -> fail(task, fence, describe(e)))
                  // A cancelled task stops here; its late upstream result is never stored.
                  .takeUntilOther(cancellations.of(taskId).doOnNext(id -> cancelled.set(true)))
                  .then(
                      Mono.defer(
                          () ->
                              cancelled.get()
                                  ? cancelUpstream(task, model, connections)
                                  : Mono.<Void>empty()));
            });
  }

  private static Mono<Void> lostClaim(String taskId) {
    log.info("task {} was claimed by another process; it goes on there", taskId);
    return Mono.empty();
  }

  private static TaskError retired(String modelId, Lifecycle lifecycle) {
    // retired(now) held, so there is a date.
    String date =
        LocalDate.ofInstant(Objects.requireNonNull(lifecycle.retiresAt()), ZoneOffset.UTC)
            .toString();
    String instead = lifecycle.replacedBy();
    return new TaskError(
        "MODEL_RETIRED",
        "model " + modelId + " was retired on " + lifecycle.retiresAt(),
        "模型 "
            + modelId
            + " 已于 "
            + date
            + " 下线，未发送。"
            + (instead == null ? "" : "请改用 " + instead + " 重新生成。"),
        "Model "
            + modelId
            + " was retired on "
            + date
            + "; the task was not sent."
            + (instead == null ? "" : " Generate it again with " + instead + "."),
        false);
  }

  /**
   * The upstream calls run one after another, each image stored while the next call is already
   * under way; a call that fails still lets the image before it be stored (it is paid for) before
   * the task fails.
   */
  private Mono<Void> generateMissing(
      Task task, long fence, CatalogModel model, Providers.Active connections, Runnable callsDone) {
    return images
        .findByTask(task.id())
        .map(StoredImage::index)
        .collect(Collectors.toSet())
        .flatMap(
            done ->
                Flux.range(0, task.params().numImages())
                    .filter(index -> !done.contains(index))
                    .concatMap(index -> generate(task, fence, model, connections, index))
                    .doFinally(signal -> callsDone.run())
                    .concatMapDelayError(generated -> store(task, fence, generated), 2)
                    .then());
  }

  /**
   * An image set: one streamed call for the images not stored yet, each stored and announced as it
   * arrives. An image that fails alone is noted and the others go on; if none arrives, the task
   * fails with that image's error. A call cut midway is asked again for the rest only.
   */
  private Mono<Void> generateSet(
      Task task,
      long fence,
      CatalogModel model,
      Providers.Active connections,
      Runnable callsDone,
      AtomicReference<TaskError> partlyFailed) {
    int count = task.params().numImages();
    double span = (double) (GENERATING_TO - GENERATING_FROM) / count;
    return images
        .findByTask(task.id())
        .map(StoredImage::index)
        .collect(Collectors.toSet())
        .flatMap(
            done -> {
              List<Integer> missing =
                  IntStream.range(0, count).filter(i -> !done.contains(i)).boxed().toList();
              if (missing.isEmpty()) {
                callsDone.run();
                return Mono.<Void>empty();
              }
              long started = System.nanoTime();
              AtomicInteger taken = new AtomicInteger();
              AtomicReference<VolcApiException> failedAlone = new AtomicReference<>();
              Sinks.Many<Generated> arrivals = Sinks.many().unicast().onBackpressureBuffer();
              Consumer<ArkClient.SetPart> arrived =
                  part -> {
                    int k = taken.getAndIncrement();
                    if (k >= missing.size()) {
                      return; // more than asked for: not ours to store
                    }
                    int index = missing.get(k);
                    UpstreamError failure = part.failure();
                    if (failure != null) {
                      metrics.upstreamError(model.id(), failure.code(), failure.retryable());
                      failedAlone.compareAndSet(null, new VolcApiException(failure));
                      return;
                    }
                    arrivals.tryEmitNext(
                        new Generated(
                            index,
                            seedOf(task, index),
                            GENERATING_FROM + (int) (span * index),
                            span,
                            Objects.requireNonNull(part.image()),
                            started,
                            System.nanoTime() - started));
                  };
              Mono<Void> call =
                  upstream
                      .of(model)
                      .generateSet(
                          model,
                          connections,
                          request(task, task.params().seed()),
                          () -> missing.size() - taken.get(),
                          arrived)
                      .doOnSuccess(
                          ok ->
                              metrics.upstreamCall(
                                  model.id(), Duration.ofNanos(System.nanoTime() - started)))
                      .doOnError(
                          VolcApiException.class,
                          e ->
                              metrics.upstreamError(
                                  model.id(), e.error().code(), e.error().retryable()))
                      .doFinally(
                          signal -> {
                            callsDone.run();
                            arrivals.tryEmitComplete();
                          });
              // Stored one after another as they come; a failed call lets those that came be
              // stored before the task fails (they are paid for).
              Mono<Void> storing =
                  arrivals.asFlux().concatMap(generated -> store(task, fence, generated)).then();
              return tasks
                  .updateProgress(task.id(), fence, TaskStage.GENERATING, GENERATING_FROM)
                  .then(events.publish(TaskEvent.PROGRESS, task.id()))
                  .then(Mono.whenDelayError(call, storing))
                  .then(
                      Mono.defer(
                          () -> {
                            VolcApiException alone = failedAlone.get();
                            if (alone == null) {
                              return Mono.<Void>empty();
                            }
                            return images
                                .findByTask(task.id())
                                .count()
                                .flatMap(
                                    stored -> {
                                      if (stored == 0) {
                                        return Mono.<Void>error(alone);
                                      }
                                      partlyFailed.set(describe(alone));
                                      return Mono.<Void>empty();
                                    });
                          }));
            });
  }

  /** Image {@code index}'s seed: the task's first plus the index, or none for a model without. */
  private static long seedOf(Task task, int index) {
    long first = task.params().seed();
    return first == GenerationValidator.NO_SEED ? GenerationValidator.NO_SEED : first + index;
  }

  /** One image's upstream call, fetched, with the task's progress moving while it waits. */
  private Mono<Generated> generate(
      Task task, long fence, CatalogModel model, Providers.Active connections, int index) {
    long seed = seedOf(task, index);
    double span = (double) (GENERATING_TO - GENERATING_FROM) / task.params().numImages();
    int base = GENERATING_FROM + (int) (span * index);
    long started = System.nanoTime();
    AtomicLong upstreamNanos = new AtomicLong();
    Mono<List<byte[]>> call =
        Mono.defer(
                () -> {
                  long callStarted = System.nanoTime();
                  return upstream
                      .of(model)
                      .generate(model, connections, request(task, seed), jobsOf(task, fence, index))
                      .doOnSuccess(
                          images -> {
                            upstreamNanos.set(System.nanoTime() - callStarted);
                            log.debug(
                                "{}: image {} answered after {} ms",
                                task.id(),
                                index,
                                upstreamNanos.get() / 1_000_000);
                            metrics.upstreamCall(model.id(), Duration.ofNanos(upstreamNanos.get()));
                          });
                })
            .doOnError(
                VolcApiException.class,
                e -> metrics.upstreamError(model.id(), e.error().code(), e.error().retryable()))
            .cache();
    // While waiting, progress follows the model's typical latency but stops short of this image's
    // share. A tick that comes while the last one's write is still going is dropped: Flux.interval
    // fails the whole task with "Could not emit tick" when its subscriber falls behind (seen under
    // the storm test's load). The ticks stop when the call answers, but a progress write already
    // started is finished, not cancelled: cancelling an R2DBC H2 statement midway broke pooled
    // connections ("Connection validation failed") and then hung every request that needed the
    // database (storm test). (materialize: a failed call stops the ticks the same gentle way,
    // rather than cancelling the write.)
    // The first write (where this image's share starts) goes out together with the call rather
    // than before it: with 50 tasks starting at once it queued 100–200 ms behind the others'
    // writes, time each image then waited on top of the provider's (issue 4, make bench).
    Flux<Void> progress =
        Flux.concat(Mono.just(FIRST), Flux.interval(TICK).onBackpressureDrop())
            .takeUntilOther(call.materialize())
            .concatMap(
                tick -> {
                  double elapsed = (System.nanoTime() - started) / 1e6 / model.typicalLatencyMs();
                  int at =
                      tick == FIRST ? base : base + (int) (span * 0.85 * Math.min(0.95, elapsed));
                  return tasks
                      .updateProgress(task.id(), fence, TaskStage.GENERATING, at)
                      .then(events.publish(TaskEvent.PROGRESS, task.id()));
                });
    return progress
        .then(call)
        .map(
            bytes ->
                new Generated(index, seed, base, span, bytes.get(0), started, upstreamNanos.get()));
  }

  /** An image the upstream answered with, not stored yet. */
  private record Generated(
      int index,
      long seed,
      int base,
      double span,
      byte[] bytes,
      long startedNanos,
      long upstreamNanos) {}

  private Mono<Void> store(Task task, long fence, Generated image) {
    int base = image.base();
    double span = image.span();
    // The "saving" stage is shown while the image is written, not before: the write takes a few
    // milliseconds now, and waiting for the stage's own database write first doubled that.
    // DelayError: a failure of one lets the other finish rather than cancelling a statement midway
    // (see the ticks above).
    return Mono.zipDelayError(
            tasks
                .updateProgress(task.id(), fence, TaskStage.SAVING, base + (int) (span * 0.9))
                .thenReturn(true),
            images.save(
                task.id(),
                task.owner(),
                image.index(),
                image.seed(),
                task.imageParameters(),
                image.bytes()))
        .map(Tuple2::getT2)
        .doOnNext(stored -> metrics.imageStored(stored.sizeBytes()))
        .flatMap(
            stored ->
                tasks.updateProgress(task.id(), fence, TaskStage.GENERATING, base + (int) span))
        .then(events.publish(TaskEvent.IMAGE, task.id()))
        .doOnSuccess(
            done ->
                metrics.imageOverhead(
                    Duration.ofNanos(
                        System.nanoTime() - image.startedNanos() - image.upstreamNanos())));
  }

  /**
   * What the provider is asked for one image; the task's reference uploads are read when a call
   * needs them, not held for the task's life.
   */
  private Mono<ImageRequest> request(Task task, long seed) {
    GenerationParams p = task.params();
    if (p.makesEdit()) {
      // An edit sends its source, then its mask where it has one (PROTOCOL-2026-12 §1a order).
      String sourceImageId = p.sourceImageId();
      Mono<ReferenceImage> source =
          sourceImageId != null
              ? images
                  .find(sourceImageId, Scope.EVERYTHING)
                  .switchIfEmpty(Mono.error(() -> new SourceImageGoneException(sourceImageId)))
                  .flatMap(
                      image ->
                          images
                              .read(image)
                              .map(bytes -> new ReferenceImage(image.mimeType(), bytes)))
              : uploads.forUpstream(Objects.requireNonNull(p.sourceUploadId()));
      String maskId = p.maskUploadId();
      Mono<List<ReferenceImage>> inputs =
          maskId == null
              ? source.map(List::of)
              : source.zipWith(uploads.maskForUpstream(maskId), List::of);
      return inputs.map(references -> new ImageRequest(p, seed, references));
    }
    return Flux.fromIterable(task.params().referenceImageIds())
        .concatMap(uploads::forUpstream)
        .collectList()
        .map(references -> new ImageRequest(task.params(), seed, references));
  }

  /** This image's upstream job, kept in {@code upstream_job} so that a restart polls it again. */
  private UpstreamJobs jobsOf(Task task, long fence, int index) {
    return new UpstreamJobs() {
      @Override
      public Mono<Submission> recorded() {
        return jobs.find(task.id(), index).map(job -> new Submission(job.upstreamTaskId()));
      }

      @Override
      public Mono<Void> submitting(String reqKey) {
        return jobs.insertSubmitting(task.id(), fence, index, reqKey, clock.instant());
      }

      @Override
      public Mono<Void> refused() {
        return jobs.forgetUnanswered(task.id(), index);
      }

      @Override
      public Mono<Void> remember(String reqKey, String upstreamTaskId) {
        return jobs.submitted(task.id(), index, upstreamTaskId, clock.instant());
      }
    };
  }

  /**
   * After a cancel: asks the model's provider to cancel the task's upstream jobs whose image is not
   * stored yet (for the visual async family, CVCancelTask), so no one waits on or pays for work
   * nobody will collect. A job the service cancelled is forgotten, so a retry submits afresh; where
   * the service cannot cancel (the action does not apply, or it fails), the job is left as it is:
   * abandoned, and a retry may still collect its result.
   */
  private Mono<Void> cancelUpstream(Task task, CatalogModel model, Providers.Active connections) {
    ImageProvider provider = upstream.of(model);
    return images
        .findByTask(task.id())
        .map(StoredImage::index)
        .collect(Collectors.toSet())
        .flatMapMany(
            stored -> jobs.findByTask(task.id()).filter(job -> !stored.contains(job.imageIndex())))
        .concatMap(
            job ->
                provider
                    .cancel(model, connections, job.upstreamTaskId())
                    .timeout(CANCEL_TIMEOUT)
                    .onErrorResume(
                        e -> {
                          log.info(
                              "task {}: upstream task {} could not be cancelled: {}",
                              task.id(),
                              job.upstreamTaskId(),
                              e.toString());
                          return Mono.just(false);
                        })
                    .flatMap(
                        cancelled -> {
                          if (!cancelled) {
                            log.info(
                                "task {}: upstream task {} abandoned",
                                task.id(),
                                job.upstreamTaskId());
                            return Mono.<Void>empty();
                          }
                          log.info(
                              "task {}: upstream task {} cancelled",
                              task.id(),
                              job.upstreamTaskId());
                          return jobs.delete(job.taskId(), job.imageIndex());
                        }))
        .then();
  }

  /**
   * Completes the task, counted in the usage ledger with the change; with {@code note}, the error
   * of the set's images that failed alone, kept on the completed task.
   */
  private Mono<Void> complete(Task task, long fence, @Nullable TaskError note) {
    Instant now = clock.instant();
    Mono<Boolean> change =
        note == null
            ? tasks.complete(task.id(), fence, now)
            : tasks.completePartly(task.id(), fence, note, now);
    return counting
        .ifChanged(change, task.params().model(), task.owner(), UsageLedger.Measure.COMPLETED, now)
        .then();
  }

  /** Fails the task, counted in the usage ledger with the change, and tells the UIs. */
  private Mono<Void> fail(Task task, long fence, TaskError error) {
    String taskId = task.id();
    String model = task.params().model();
    log.info("task {} failed: {} {}", taskId, error.code(), error.upstreamMessage());
    metrics.taskFinished(model, TaskStatus.FAILED);
    Instant now = clock.instant();
    return counting
        .ifChanged(
            tasks.fail(taskId, fence, error, now),
            model,
            task.owner(),
            UsageLedger.Measure.FAILED,
            now)
        .then(events.publish(TaskEvent.FAILED, taskId));
  }

  private static TaskError describe(Throwable e) {
    if (e instanceof VolcApiException api) {
      UpstreamError u = api.error();
      return new TaskError(
          u.code(), u.upstreamMessage(), u.messageZh(), u.messageEn(), u.retryable());
    }
    if (e instanceof ReferenceImageGoneException gone) {
      return new TaskError(
          "REFERENCE_IMAGE_GONE",
          gone.getMessage(),
          "参考图 " + gone.uploadId() + " 已被删除，请重新上传后再生成。",
          "Reference image " + gone.uploadId() + " was deleted; upload it again and generate anew.",
          false);
    }
    if (e instanceof SourceImageGoneException gone) {
      return new TaskError(
          "SOURCE_IMAGE_GONE",
          gone.getMessage(),
          "要编辑的原图 " + gone.imageId + " 已被删除，无法继续。",
          "The image to edit (" + gone.imageId + ") was deleted; the edit cannot go on.",
          false);
    }
    if (e instanceof TimeoutException) {
      return new TaskError(
          "DEADLINE_EXCEEDED",
          "the task took longer than its deadline",
          "任务超过了最长等待时间，已停止。",
          "The task took longer than its deadline and was stopped.",
          true);
    }
    Optional<StorageFailure> storage = StorageFailure.of(e);
    if (storage.isPresent()) {
      log.error("an image could not be stored under DATA_DIR: {}", e.toString());
      return storage.get() == StorageFailure.NO_SPACE
          ? new TaskError(
              "STORAGE_FULL",
              String.valueOf(e.getMessage()),
              "图片已生成，但无法保存：磁盘空间已满。请清理磁盘（或调小 MAX_STORAGE_GB，让自动清理腾出空间）后重试。",
              "The image was generated but could not be saved: the disk is full. Free some space"
                  + " (or lower MAX_STORAGE_GB so that the cleanup makes room) and retry.",
              true)
          : new TaskError(
              "STORAGE_NOT_WRITABLE",
              String.valueOf(e.getMessage()),
              "图片已生成，但无法保存：数据目录不可写。请检查 DATA_DIR 及其子目录的权限后重试。",
              "The image was generated but could not be saved: the data directory cannot be"
                  + " written. Check the permissions of DATA_DIR and its folders, then retry.",
              true);
    }
    // The exception's text goes to the log only: it can name addresses, ports and paths that are
    // nobody's business in a task's error.
    log.warn("task failed unexpectedly", e);
    return new TaskError(
        "INTERNAL",
        e.getClass().getSimpleName(),
        "内部错误，详情见服务器日志。",
        "Internal error; the server log has the details.",
        true);
  }

  /** An edit's source image was deleted while the edit waited. */
  private static final class SourceImageGoneException extends RuntimeException {
    private final String imageId;

    SourceImageGoneException(String imageId) {
      super("source image " + imageId + " was deleted");
      this.imageId = imageId;
    }
  }
}
