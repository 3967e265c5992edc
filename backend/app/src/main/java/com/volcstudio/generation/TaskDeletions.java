package com.volcstudio.generation;

import com.volcstudio.image.ImageStore;
import com.volcstudio.image.StoredImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes finished tasks together with their images: the row (its images' rows go with it by ON
 * DELETE CASCADE), then the files. Pending and running tasks are never touched. The history's bulk
 * delete and the retention cleanup both go through here, and the cleanup asks here which tasks it
 * may remove: finished ones that are not favourites.
 */
@Service
public class TaskDeletions {

  /**
   * What a deletion did.
   *
   * @param deleted ids of the tasks deleted
   * @param skipped ids of tasks left alone because they are pending or running
   * @param images image files removed
   * @param bytes bytes those files and their thumbnails took
   */
  public record Result(List<String> deleted, List<String> skipped, int images, long bytes) {}

  /**
   * A task the cleanup may remove and what removing it frees.
   *
   * @param bytes what its images and their thumbnails take on disk
   */
  public record Removable(String id, long bytes) {}

  private final TaskRepository tasks;
  private final ImageStore images;
  private final TaskEvents events;

  TaskDeletions(TaskRepository tasks, ImageStore images, TaskEvents events) {
    this.tasks = tasks;
    this.images = images;
    this.events = events;
  }

  /**
   * One after the other; ids that name no task are ignored (what was asked for is gone either way).
   */
  public Mono<Result> deleteFinished(Collection<String> taskIds) {
    return Flux.fromIterable(taskIds)
        .concatMap(this::deleteFinished)
        .reduce(new Result(List.of(), List.of(), 0, 0), TaskDeletions::add);
  }

  private Mono<Result> deleteFinished(String taskId) {
    Result skipped = new Result(List.of(), List.of(taskId), 0, 0);
    return tasks
        .findById(taskId)
        .flatMap(
            task ->
                !task.status().terminal()
                    ? Mono.just(skipped)
                    : images
                        .findByTask(taskId)
                        .collectList()
                        .flatMap(
                            stored ->
                                tasks
                                    .delete(taskId)
                                    .flatMap(
                                        gone -> {
                                          // The DELETE re-checks the status: a task retried
                                          // meanwhile is pending again and stays.
                                          if (!gone) {
                                            return Mono.just(skipped);
                                          }
                                          // Announced from the view read before the row went; the
                                          // files go after the row, so a failure
                                          // in between leaves a stray file rather than a record
                                          // pointing at nothing.
                                          long bytes =
                                              stored.stream()
                                                  .mapToLong(StoredImage::storedBytes)
                                                  .sum();
                                          return events
                                              .publish(TaskEvent.DELETED, task, stored)
                                              .then(images.deleteFiles(stored))
                                              .thenReturn(
                                                  new Result(
                                                      List.of(taskId),
                                                      List.of(),
                                                      stored.size(),
                                                      bytes));
                                        })));
  }

  /**
   * Finished tasks that are not favourites, created before {@code cutoff}: the oldest {@code limit}
   * of them, oldest first.
   */
  public Mono<List<String>> removableCreatedBefore(Instant cutoff, int limit) {
    return tasks.removableCreatedBefore(cutoff, limit).collectList();
  }

  /**
   * Finished tasks that are not favourites and have images: the oldest {@code limit} of them,
   * oldest first, each with the bytes its images take. The tasks are read a page at a time, each
   * page's images asked of the image store, until enough are found.
   */
  public Mono<List<Removable>> removableWithImages(int limit) {
    return removableWithImages(null, limit, List.of());
  }

  private Mono<List<Removable>> removableWithImages(
      @Nullable TaskCursor after, int limit, List<Removable> found) {
    return tasks
        .removableAfter(after, limit)
        .collectList()
        .flatMap(
            page -> {
              if (page.isEmpty()) {
                return Mono.just(found);
              }
              return images
                  .storedBytes(page.stream().map(TaskCursor::id).toList())
                  .flatMap(
                      bytes -> {
                        List<Removable> more = new ArrayList<>(found);
                        for (TaskCursor task : page) {
                          Long taken = bytes.get(task.id());
                          if (taken != null && more.size() < limit) {
                            more.add(new Removable(task.id(), taken));
                          }
                        }
                        return more.size() == limit || page.size() < limit
                            ? Mono.just(more)
                            : removableWithImages(page.get(page.size() - 1), limit, more);
                      });
            });
  }

  private static Result add(Result a, Result b) {
    List<String> deleted = new ArrayList<>(a.deleted());
    deleted.addAll(b.deleted());
    List<String> skipped = new ArrayList<>(a.skipped());
    skipped.addAll(b.skipped());
    return new Result(deleted, skipped, a.images() + b.images(), a.bytes() + b.bytes());
  }
}
