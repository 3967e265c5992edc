package com.volcstudio.generation;

import com.volcstudio.account.Scope;
import com.volcstudio.image.ImageArchive;
import com.volcstudio.image.ImageStore;
import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.Ids;
import com.volcstudio.web.InvalidRequestException;
import com.volcstudio.web.NotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Many tasks at once: delete a selection from the history, download a task's or a batch's images as
 * a ZIP.
 */
@RestController
class TaskBulkController {

  static final int MAX_DELETE = 500;

  record DeleteRequest(@Nullable List<@Nullable String> taskIds) {}

  /** {@code skipped}: tasks still pending or running, which a bulk delete leaves alone. */
  record DeleteResult(int deleted, List<String> skipped) {}

  private final TaskRepository tasks;
  private final TaskReader reader;
  private final TaskDeletions deletions;
  private final ImageStore images;
  private final ImageArchive archive;

  TaskBulkController(
      TaskRepository tasks,
      TaskReader reader,
      TaskDeletions deletions,
      ImageStore images,
      ImageArchive archive) {
    this.tasks = tasks;
    this.reader = reader;
    this.deletions = deletions;
    this.images = images;
    this.archive = archive;
  }

  /**
   * Deletes finished tasks with their image files; unknown ids are ignored, malformed ones refused.
   */
  @PostMapping("/api/v1/history/delete")
  Mono<DeleteResult> delete(@RequestBody DeleteRequest request) {
    List<@Nullable String> ids = request.taskIds();
    if (ids == null || ids.isEmpty() || ids.size() > MAX_DELETE) {
      return Mono.error(
          new InvalidRequestException("task_ids", "must list 1 to " + MAX_DELETE + " task ids"));
    }
    List<FieldViolation> violations = new ArrayList<>();
    Set<String> unique = new LinkedHashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      if (id == null || !Ids.isId(id)) {
        violations.add(new FieldViolation("task_ids[" + i + "]", "is not a task id"));
      } else {
        unique.add(id);
      }
    }
    if (!violations.isEmpty()) {
      return Mono.error(new InvalidRequestException(violations));
    }
    // Another user's ids are ignored like unknown ones.
    return Scope.current()
        .flatMap(scope -> tasks.ownersOf(unique).map(owners -> permitted(scope, unique, owners)))
        .flatMap(deletions::deleteFinished)
        .map(result -> new DeleteResult(result.deleted().size(), result.skipped()));
  }

  @GetMapping("/api/v1/task/{task_id}/zip")
  Mono<ResponseEntity<Flux<DataBuffer>>> taskZip(@PathVariable("task_id") String taskId) {
    return reader
        .visibleOrNotFound(taskId)
        .flatMap(task -> images.findByTask(taskId).collectList())
        .flatMap(stored -> archive.response(stored, "Task '" + taskId + "' has no images (yet)."));
  }

  /** The batch's images in submission order. */
  @GetMapping("/api/v1/batch/{batch_id}/zip")
  Mono<ResponseEntity<Flux<DataBuffer>>> batchZip(@PathVariable("batch_id") String batchId) {
    if (!Ids.isId(batchId)) {
      return Mono.error(new NotFoundException("batch", batchId));
    }
    return Scope.current()
        .flatMap(
            scope -> tasks.findByBatch(batchId).filter(t -> scope.permits(t.owner())).collectList())
        .filter(batch -> !batch.isEmpty())
        .switchIfEmpty(Mono.error(() -> new NotFoundException("batch", batchId)))
        .flatMapMany(Flux::fromIterable)
        .concatMap(task -> images.findByTask(task.id()))
        .collectList()
        .flatMap(
            stored -> archive.response(stored, "Batch '" + batchId + "' has no images (yet)."));
  }

  private static Set<String> permitted(Scope scope, Set<String> ids, Map<String, String> owners) {
    Set<String> mine = new LinkedHashSet<>();
    for (String id : ids) {
      String owner = owners.get(id);
      if (owner != null && scope.permits(owner)) {
        mine.add(id);
      }
    }
    return mine;
  }
}
