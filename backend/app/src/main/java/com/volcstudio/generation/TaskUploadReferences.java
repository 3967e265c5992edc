package com.volcstudio.generation;

import com.volcstudio.upload.UploadReferences;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The uploads' question about references, answered from the tasks' table. */
@Component
class TaskUploadReferences implements UploadReferences {

  private final TaskRepository tasks;

  TaskUploadReferences(TaskRepository tasks) {
    this.tasks = tasks;
  }

  @Override
  public Mono<Boolean> heldByUnfinishedTask(String uploadId) {
    return tasks.unfinishedTaskReferences(uploadId);
  }

  @Override
  public Mono<Set<String>> namedByAnyTask() {
    return tasks.referenceLists().concatMapIterable(ids -> ids).collect(Collectors.toSet());
  }
}
