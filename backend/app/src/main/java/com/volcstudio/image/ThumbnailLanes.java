package com.volcstudio.image;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Thumbnail jobs in two lanes over one pool: a thumbnail somebody is waiting for (a request for it)
 * runs before the background backlog of just-stored images. Without this, a page opened right after
 * fifty images finished waited 5–15 s behind the backlog for thumbnails it could show at once.
 *
 * <p>Every push hands the pool one run, and a run takes the first job not started yet, urgent lane
 * first; a job pushed into both lanes (promoted) is run once, and the run that finds it started
 * takes the next. So there are always at least as many runs as jobs waiting.
 */
final class ThumbnailLanes {

  /** One thumbnail to make; {@link #promote} moves it ahead if it has not started. */
  static final class Job {
    private final Runnable work;
    private final AtomicBoolean started = new AtomicBoolean();

    private Job(Runnable work) {
      this.work = work;
    }
  }

  private final Executor pool;
  private final Deque<Job> urgent = new ConcurrentLinkedDeque<>();
  private final Deque<Job> background = new ConcurrentLinkedDeque<>();

  ThumbnailLanes(Executor pool) {
    this.pool = pool;
  }

  Job submit(Runnable work, boolean wanted) {
    Job job = new Job(work);
    push(job, wanted ? urgent : background);
    return job;
  }

  /** Somebody now waits for this job: it runs next unless it already has. */
  void promote(Job job) {
    if (!job.started.get()) {
      push(job, urgent);
    }
  }

  private void push(Job job, Deque<Job> lane) {
    lane.addLast(job);
    pool.execute(this::runOne);
  }

  private void runOne() {
    for (Job job = next(); job != null; job = next()) {
      if (job.started.compareAndSet(false, true)) {
        job.work.run();
        return;
      }
    }
  }

  private Job next() {
    Job job = urgent.pollFirst();
    return job != null ? job : background.pollFirst();
  }
}
