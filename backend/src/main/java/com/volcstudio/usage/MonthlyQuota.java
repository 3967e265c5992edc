package com.volcstudio.usage;

import com.volcstudio.config.StudioProperties;
import com.volcstudio.image.ImageStore;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * This calendar month's (UTC) images against {@code MONTHLY_IMAGE_QUOTA}: the one definition that
 * {@code /api/v1/system/info}, {@code /api/v1/usage} and the {@code usage.changed} event all show,
 * so they cannot drift apart. The limit is a setting, not an upstream figure.
 */
@Component
public class MonthlyQuota {

  /**
   * @param used images stored since the first of this month, 00:00 UTC
   * @param limit {@code MONTHLY_IMAGE_QUOTA}
   */
  public record Quota(long used, int limit) {}

  private final ImageStore images;
  private final int limit;
  private final Clock clock = Clock.systemUTC();

  MonthlyQuota(ImageStore images, StudioProperties properties) {
    this.images = images;
    this.limit = properties.monthlyImageQuota();
  }

  public Mono<Quota> current() {
    return images.countCreatedSince(monthStart()).map(this::of);
  }

  /** The quota with {@code used} counted from {@link #monthStart()} by the caller. */
  Quota of(long used) {
    return new Quota(used, limit);
  }

  Instant monthStart() {
    return today().withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  LocalDate today() {
    return LocalDate.now(clock);
  }
}
