package com.volcstudio.generation;

import com.volcstudio.image.ImageStore;
import org.springframework.stereotype.Component;
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

  Mono<TaskView> view(String taskId) {
    return tasks.findById(taskId).flatMap(task -> images.findByTask(taskId).collectList().map(list -> TaskView.of(task, list)));
  }
}
