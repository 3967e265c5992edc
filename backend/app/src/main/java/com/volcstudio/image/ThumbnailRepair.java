package com.volcstudio.image;

import com.volcstudio.coordination.SingletonJobs;
import java.time.Duration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At start-up, the thumbnails a crash left unmade ({@link Thumbnails#makeMissing()}); with replicas
 * sharing a database, by one of them at a time ({@link SingletonJobs}): a replica starting within
 * {@link #HOLD} of another's repair leaves it to that one (and to the requests, which make a
 * missing thumbnail on demand).
 */
@Component
class ThumbnailRepair {

  static final String JOB = "thumbnail-repair";
  private static final Duration HOLD = Duration.ofMinutes(10);

  private final Thumbnails thumbnails;
  private final SingletonJobs jobs;

  ThumbnailRepair(Thumbnails thumbnails, SingletonJobs jobs) {
    this.thumbnails = thumbnails;
    this.jobs = jobs;
  }

  @EventListener(ApplicationReadyEvent.class)
  void repair() {
    jobs.mine(JOB, HOLD)
        .filter(mine -> mine)
        .subscribe(mine -> thumbnails.makeMissing(), e -> thumbnails.makeMissing());
  }
}
