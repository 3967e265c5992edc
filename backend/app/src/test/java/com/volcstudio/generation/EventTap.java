package com.volcstudio.generation;

import org.springframework.context.ApplicationContext;
import reactor.core.publisher.Flux;

/**
 * For benchmarks outside this package: the data of each task event as it is published, on the
 * publishing thread, after the change it describes was committed.
 */
public final class EventTap {

  private EventTap() {}

  public static Flux<String> published(ApplicationContext context) {
    return context.getBean(TaskEvents.class).live().map(event -> String.valueOf(event.data()));
  }
}
