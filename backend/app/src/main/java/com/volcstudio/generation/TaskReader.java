package com.volcstudio.generation;

import com.volcstudio.account.Scope;
import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.image.ImageStore;
import com.volcstudio.image.StoredImage;
import com.volcstudio.web.Ids;
import com.volcstudio.web.NotFoundException;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Builds the API view of a task from its row, its stored images and its place in the queue. */
@Component
class TaskReader {

  private final TaskRepository tasks;
  private final ImageStore images;
  private final TaskQueue queue;
  private final ModelCatalog catalog;
  private final TaskConcurrency concurrency;

  TaskReader(
      TaskRepository tasks,
      ImageStore images,
      TaskQueue queue,
      ModelCatalog catalog,
      TaskConcurrency concurrency) {
    this.tasks = tasks;
    this.images = images;
    this.queue = queue;
    this.catalog = catalog;
    this.concurrency = concurrency;
  }

  /**
   * Views of several tasks, in the given order; their images come from one query for all of them.
   */
  Mono<List<TaskView>> views(List<Task> list) {
    return images
        .findByTasks(list.stream().map(Task::id).toList())
        .map(
            byTask ->
                list.stream()
                    .map(task -> view(task, byTask.getOrDefault(task.id(), List.of())))
                    .toList());
  }

  /**
   * The task, when the caller may see it (account.Scope): another user's task is empty, exactly
   * like one that does not exist, so an answer never tells that it exists.
   */
  Mono<Task> visible(String taskId) {
    if (!Ids.isId(taskId)) {
      return Mono.empty();
    }
    return Scope.current()
        .flatMap(scope -> tasks.findById(taskId).filter(task -> scope.permits(task.owner())));
  }

  /** {@link #visible}, or a 404 problem. */
  Mono<Task> visibleOrNotFound(String taskId) {
    return visible(taskId).switchIfEmpty(Mono.error(() -> new NotFoundException("task", taskId)));
  }

  /** A task's view and whose task it is. */
  record OwnedView(String owner, TaskView view) {}

  Mono<OwnedView> ownedView(String taskId) {
    return tasks
        .findById(taskId)
        .flatMap(
            task ->
                images
                    .findByTask(taskId)
                    .collectList()
                    .map(list -> new OwnedView(task.owner(), view(task, list))));
  }

  Mono<TaskView> view(String taskId) {
    return tasks
        .findById(taskId)
        .flatMap(task -> images.findByTask(taskId).collectList().map(list -> view(task, list)));
  }

  /**
   * A waiting task's position, and a rough wait: the rounds of {@code MAX_CONCURRENT_TASKS} ahead
   * of it times this model's typical time per task. An estimate, and labelled so in the API docs.
   */
  private TaskView view(Task task, List<StoredImage> stored) {
    if (task.status() != TaskStatus.PENDING) {
      return TaskView.of(task, stored);
    }
    return queue
        .position(task.id())
        .map(
            position -> {
              long perTask =
                  catalog
                          .find(task.params().model())
                          .map(CatalogModel::typicalLatencyMs)
                          .orElse(5000)
                      * (long) task.params().numImages();
              int slots = concurrency.current();
              int rounds = (position + slots - 1) / slots;
              return TaskView.of(
                  task, stored, position, (int) Math.ceil(rounds * perTask / 1000.0));
            })
        .orElseGet(() -> TaskView.of(task, stored));
  }
}
