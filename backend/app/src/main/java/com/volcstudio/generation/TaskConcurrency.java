package com.volcstudio.generation;

import com.volcstudio.settings.CurrentSettings;
import org.springframework.stereotype.Component;

/**
 * How many tasks generate at the same time ({@code MAX_CONCURRENT_TASKS}): one answer for the
 * dispatcher that starts them, the wait estimate of a queued task and the queue summary event, read
 * from the runtime settings each time so all three follow a change made without a restart.
 */
@Component
class TaskConcurrency {

  private final CurrentSettings settings;

  TaskConcurrency(CurrentSettings settings) {
    this.settings = settings;
  }

  /** At least one: a queue with no slot would never start anything. */
  int current() {
    return Math.max(1, settings.get().maxConcurrentTasks());
  }
}
