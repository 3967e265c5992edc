package com.volcstudio.generation;

import com.volcstudio.image.ImageStore;
import org.springframework.stereotype.Component;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Builds the API view of a task from its row and its stored images. */
@Component
class TaskReader {

  private final TaskRepository tasks;
  private final ImageStore images;

  TaskReader(TaskRepository tasks, ImageStore images) {
    this.tasks = tasks;
    this.images = images;
  }

  /** Views of several tasks, in the given order. */
  Mono<List<TaskView>> views(List<Task> list) {
    return Flux.fromIterable(list)
        .concatMap(task -> images.findByTask(task.id()).collectList().map(stored -> TaskView.of(task, stored)))
        .collectList();
  }

  Mono<TaskView> view(String taskId) {
    return tasks.findById(taskId).flatMap(task -> images.findByTask(taskId).collectList().map(list -> TaskView.of(task, list)));
  }
}
