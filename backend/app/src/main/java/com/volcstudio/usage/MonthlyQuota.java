package com.volcstudio.usage;

import com.volcstudio.coordination.SharedLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * This calendar month's (UTC) images against {@code MONTHLY_IMAGE_QUOTA}: the one definition that
 * {@code /api/v1/system/info}, {@code /api/v1/usage} and the {@code usage.changed} event all show,
 * and the one place that refuses a submit which would go over it. The limit is the user's own
 * budget, not an upstream figure; without it nothing is refused.
 */
@Component
public class MonthlyQuota {

  /**
   * @param used images made since the first of this month, 00:00 UTC (from the usage ledger, so
   *     deleting history does not give them back)
   * @param limit {@code MONTHLY_IMAGE_QUOTA}; null = no limit
   */
  public record Quota(long used, @Nullable Integer limit) {}

  private final UsageLedger ledger;
  private final ImagesToCome toCome;
  private final MonthlyImageLimit limits;
  private final OwnerImageLimit ownerLimits;
  private final Clock clock;
  private final SharedLimits shared;

  /** Longer than any submit's transaction; a reservation of a replica that died lapses then. */
  private static final Duration RESERVATION_TTL = Duration.ofMinutes(1);

  /**
   * Images of submits that passed the check and are being stored right now: the database cannot
   * count them yet, and two submits checked at the same moment must not both take the last images.
   * With replicas of one studio (issue 18) they are reserved in Redis among all of them instead
   * ({@link SharedLimits#reserve}), and this count is used only should Redis not answer.
   */
  private final AtomicLong admitting = new AtomicLong();

  /** The same for each owner's own limit. */
  private final Map<String, AtomicLong> admittingByOwner = new ConcurrentHashMap<>();

  MonthlyQuota(
      UsageLedger ledger,
      ImagesToCome toCome,
      MonthlyImageLimit limits,
      OwnerImageLimit ownerLimits,
      SharedLimits shared) {
    this.shared = shared;
    this.ledger = ledger;
    this.toCome = toCome;
    this.limits = limits;
    this.ownerLimits = ownerLimits;
    this.clock = Clock.systemUTC();
  }

  private @Nullable Integer limit() {
    Integer limit = limits.monthlyImageLimit();
    return limit == null || limit <= 0 ? null : limit;
  }

  public Mono<Quota> current() {
    return ledger.imagesSince(monthStart(), null).map(this::of);
  }

  /**
   * Runs {@code submit} (which stores tasks that will make {@code images} images) only if this
   * month's images, the images still to come from pending and running tasks, and these stay within
   * the limit; otherwise fails with {@link QuotaExceededException} before anything is stored or
   * sent upstream.
   */
  private <T> Mono<T> admit(int images, Mono<T> submit) {
    Integer max = limit();
    if (max == null || images <= 0) {
      return submit;
    }
    return within(
        images,
        max,
        admitting,
        "monthly-quota",
        current().map(Quota::used),
        outstanding(),
        false,
        submit);
  }

  /**
   * {@link #admit(int, Mono)}, and also within {@code owner}'s own limit (an account's
   * monthly_image_quota) when they have one: their images this month, their tasks' images still to
   * come, and these. The 429 says which limit it was.
   */
  public <T> Mono<T> admit(int images, String owner, Mono<T> submit) {
    if (images <= 0) {
      return submit;
    }
    Mono<T> own =
        ownerLimits
            .monthlyImageLimit(owner)
            .map(Optional::of)
            .defaultIfEmpty(Optional.empty())
            .flatMap(
                max ->
                    max.isEmpty() || max.get() <= 0
                        ? submit
                        : within(
                            images,
                            max.get(),
                            admittingByOwner.computeIfAbsent(owner, o -> new AtomicLong()),
                            "monthly-quota:" + owner,
                            ledger.imagesSince(monthStart(), owner),
                            toCome.count(owner).map(n -> Math.max(0, n)).defaultIfEmpty(0L),
                            true,
                            submit));
    return admit(images, own);
  }

  private <T> Mono<T> within(
      int images,
      int max,
      AtomicLong admittingNow,
      String reservationName,
      Mono<Long> usedSoFar,
      Mono<Long> toComeSoFar,
      boolean own,
      Mono<T> submit) {
    return Mono.defer(
        () -> {
          // The others being admitted are taken at the moment this one reserves, before the
          // database is read: any of them that is gone by the read has committed by then (it
          // releases only after its commit), so the read counts it. Taken after the read instead,
          // a submit that committed and released in between was counted by neither, and a race of
          // 12 submits for a quota of 4 let 5 through (seen in CI). At worst one is counted twice,
          // refusing early rather than late.
          // With replicas of this studio, the reservation is made among all of them (in Redis), in
          // the same order: reserve, then read.
          long local = admittingNow.addAndGet(images) - images;
          return shared
              .reserve(reservationName, images, RESERVATION_TTL)
              .map(Optional::of)
              .defaultIfEmpty(Optional.empty())
              .flatMap(
                  reservation -> {
                    long others = reservation.map(SharedLimits.Reservation::others).orElse(local);
                    return Mono.zip(usedSoFar, toComeSoFar)
                        .flatMap(
                            t -> {
                              long used = t.getT1();
                              long reserved = t.getT2() + others;
                              if (used + reserved + images > max) {
                                return Mono.<T>error(
                                    new QuotaExceededException(
                                        used, reserved, max, images, nextMonth(), own));
                              }
                              return submit;
                            })
                        // Released after the submit's commit and before its answer: a submit
                        // reading in between counts these images twice (its read sees the tasks
                        // and the reservation), refusing early rather than ever letting the quota
                        // be overshot; once released, the next submit sees them once.
                        .flatMap(result -> release(reservation).thenReturn(result))
                        // A submit that answers nothing (a batch) releases all the same.
                        .switchIfEmpty(Mono.defer(() -> release(reservation).then(Mono.empty())))
                        .doOnError(e -> release(reservation).subscribe())
                        .doOnCancel(() -> release(reservation).subscribe());
                  })
              .doFinally(signal -> admittingNow.addAndGet(-images));
        });
  }

  private Mono<Void> release(Optional<SharedLimits.Reservation> reservation) {
    return reservation.map(shared::release).orElse(Mono.empty());
  }

  /** Images that pending and running tasks are still to make (those stored are in the ledger). */
  private Mono<Long> outstanding() {
    return toCome.count().map(n -> Math.max(0, n)).defaultIfEmpty(0L);
  }

  /** The quota with {@code used} counted from {@link #monthStart()} by the caller. */
  Quota of(long used) {
    return new Quota(used, limit());
  }

  /** The first day of this month (UTC), where the quota's count starts. */
  LocalDate monthStart() {
    return today().withDayOfMonth(1);
  }

  private Instant nextMonth() {
    return monthStart().plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  LocalDate today() {
    return LocalDate.now(clock);
  }
}
