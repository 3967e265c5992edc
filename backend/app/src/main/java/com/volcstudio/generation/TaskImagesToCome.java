package com.volcstudio.generation;

import com.volcstudio.image.ImageStore;
import com.volcstudio.usage.ImagesToCome;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The monthly quota's question answered from the tasks' table and the image store's public count:
 * what pending and running tasks asked for, less what they have stored.
 */
@Component
class TaskImagesToCome implements ImagesToCome {

  private final TaskRepository tasks;
  private final ImageStore images;

  TaskImagesToCome(TaskRepository tasks, ImageStore images) {
    this.tasks = tasks;
    this.images = images;
  }

  @Override
  public Mono<Long> count() {
    return toCome(tasks.unfinishedImageCounts(null));
  }

  @Override
  public Mono<Long> count(String owner) {
    return toCome(tasks.unfinishedImageCounts(owner));
  }

  private Mono<Long> toCome(Mono<Map<String, Integer>> unfinished) {
    return unfinished.flatMap(
        asked ->
            asked.isEmpty()
                ? Mono.just(0L)
                : images
                    .count(asked.keySet())
                    .map(
                        stored ->
                            asked.values().stream().mapToLong(Integer::longValue).sum() - stored));
  }
}
