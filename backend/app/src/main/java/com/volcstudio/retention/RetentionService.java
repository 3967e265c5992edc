package com.volcstudio.retention;

import com.volcstudio.database.DatabaseFile;
import com.volcstudio.generation.TaskDeletions;
import com.volcstudio.image.ImageStore;
import com.volcstudio.settings.CurrentSettings;
import com.volcstudio.upload.Uploads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Removes finished history past {@code MAX_HISTORY_DAYS}, then, while the images take more than
 * {@code MAX_STORAGE_GB}, the oldest finished tasks that have images. Favourites and pending or
 * running tasks are never removed; rows and files go together (through {@link TaskDeletions}, which
 * says which tasks may go and tells open UIs). Sizes come from the image store's records, not from
 * walking DATA_DIR. Last, uploaded reference images that no task (left) refers to go once they are
 * {@link #UPLOAD_GRACE} old.
 */
@Service
public class RetentionService {

  private static final Logger log = LoggerFactory.getLogger(RetentionService.class);

  /**
   * Tasks deleted per round: bounded, so a first cleanup of years of history does not read it all
   * at once.
   */
  static final int PAGE = 200;

  /**
   * An upload no task refers to is kept this long: the user may have just dropped it into the form
   * and not generated yet, and the form shows it from its URL until then.
   */
  static final Duration UPLOAD_GRACE = Duration.ofHours(24);

  /** What one cleanup removed. */
  record Report(
      Instant at,
      int tasks,
      int images,
      long bytes,
      boolean stillOverBudget,
      int uploads,
      long uploadBytes) {

    static Report nothing(Instant at) {
      return new Report(at, 0, 0, 0, false, 0, 0);
    }

    Report plus(TaskDeletions.Result result) {
      return new Report(
          at,
          tasks + result.deleted().size(),
          images + result.images(),
          bytes + result.bytes(),
          stillOverBudget,
          uploads,
          uploadBytes);
    }

    Report plus(Uploads.Removed removed) {
      return new Report(
          at,
          tasks,
          images,
          bytes,
          stillOverBudget,
          uploads + removed.uploads(),
          uploadBytes + removed.bytes());
    }

    Report overBudget() {
      return new Report(at, tasks, images, bytes, true, uploads, uploadBytes);
    }
  }

  private final TaskDeletions deletions;
  private final ImageStore images;
  private final Uploads uploads;
  private final CurrentSettings settings;
  private static final Duration DATABASE_MEASURED_EVERY = Duration.ofSeconds(10);

  /**
   * The database file's size and fill, measured at most every ten seconds: the page asks for the
   * storage status on every system/info, and the file changes far more slowly.
   */
  private final Mono<Optional<DatabaseFile.Use>> databaseUse;

  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile @Nullable Report last;

  RetentionService(
      TaskDeletions deletions,
      ImageStore images,
      Uploads uploads,
      CurrentSettings settings,
      DatabaseFile databaseFile) {
    this.deletions = deletions;
    this.images = images;
    this.uploads = uploads;
    this.settings = settings;
    this.databaseUse =
        databaseFile
            .use()
            .map(Optional::of)
            .onErrorResume(
                e -> {
                  log.debug("could not measure the database file", e);
                  return Mono.just(Optional.empty());
                })
            .cache(DATABASE_MEASURED_EVERY);
    this.clock = Clock.systemUTC();
  }

  /** One cleanup with the configured limits; empty if one is already running. */
  Mono<Report> cleanup() {
    return cleanup(RetentionPolicy.from(settings.get()));
  }

  Mono<Report> cleanup(RetentionPolicy policy) {
    return Mono.defer(
        () -> {
          if (!running.compareAndSet(false, true)) {
            return Mono.empty();
          }
          Instant now = clock.instant();
          return byAge(policy.maxAge(), now, Report.nothing(now))
              .flatMap(report -> bySize(policy.maxBytes(), report))
              // After the tasks, so the references of tasks removed just now no longer keep an
              // upload; whatever the limits, as an unreferenced upload is of no use to anyone.
              .flatMap(
                  report -> uploads.removeUnreferenced(now.minus(UPLOAD_GRACE)).map(report::plus))
              .doOnNext(this::record)
              .doFinally(signal -> running.set(false));
        });
  }

  public Mono<StorageStatus> status() {
    RetentionPolicy policy = RetentionPolicy.from(settings.get());
    Report report = last;
    return Mono.zip(images.usage(), uploads.usage(), databaseUse)
        .map(
            usage ->
                new StorageStatus(
                    usage.getT1().images(),
                    usage.getT1().bytes(),
                    policy.maxBytes(),
                    policy.maxAge() == null ? null : (int) policy.maxAge().toDays(),
                    report == null ? null : report.at(),
                    report == null ? 0 : report.tasks(),
                    usage.getT2().uploads(),
                    usage.getT2().bytes(),
                    report == null ? 0 : report.uploads(),
                    usage.getT3().map(DatabaseFile.Use::fileBytes).orElse(null),
                    usage.getT3().map(DatabaseFile.Use::dataBytes).orElse(null)));
  }

  private Mono<Report> byAge(@Nullable Duration maxAge, Instant now, Report report) {
    if (maxAge == null) {
      return Mono.just(report);
    }
    return deletions
        .removableCreatedBefore(now.minus(maxAge), PAGE)
        .flatMap(
            ids ->
                ids.isEmpty()
                    ? Mono.just(report)
                    : deletions
                        .deleteFinished(ids)
                        .flatMap(
                            result ->
                                result.deleted().isEmpty()
                                    // Nothing of the page could go (all re-run meanwhile): stop
                                    // rather than select it again.
                                    ? Mono.just(report)
                                    : byAge(maxAge, now, report.plus(result))));
  }

  private Mono<Report> bySize(@Nullable Long maxBytes, Report report) {
    if (maxBytes == null) {
      return Mono.just(report);
    }
    return images
        .usage()
        .flatMap(
            usage -> {
              long excess = usage.bytes() - maxBytes;
              if (excess <= 0) {
                return Mono.just(report);
              }
              return deletions
                  .removableWithImages(PAGE)
                  .flatMap(
                      candidates -> {
                        List<String> ids = new ArrayList<>();
                        long freed = 0;
                        for (TaskDeletions.Removable candidate : candidates) {
                          if (freed >= excess) {
                            break;
                          }
                          ids.add(candidate.id());
                          freed += candidate.bytes();
                        }
                        if (ids.isEmpty()) {
                          return Mono.just(report.overBudget());
                        }
                        return deletions
                            .deleteFinished(ids)
                            .flatMap(
                                result ->
                                    result.deleted().isEmpty()
                                        ? Mono.just(report.plus(result).overBudget())
                                        : bySize(maxBytes, report.plus(result)));
                      });
            });
  }

  private void record(Report report) {
    last = report;
    if (report.tasks() > 0 || report.uploads() > 0) {
      log.info(
          "Retention cleanup removed {} finished tasks with {} images ({} MB) and {} uploads no task"
              + " refers to ({} MB); favourites and running tasks kept",
          report.tasks(),
          report.images(),
          report.bytes() / (1024 * 1024),
          report.uploads(),
          report.uploadBytes() / (1024 * 1024));
    } else {
      log.debug("Retention cleanup: nothing to remove");
    }
    if (report.stillOverBudget()) {
      log.warn(
          "Images still take more than MAX_STORAGE_GB={} after the cleanup: what is left is favourites or"
              + " tasks still running. Raise the budget or remove favourites.",
          settings.get().maxStorageGb());
    }
  }
}
