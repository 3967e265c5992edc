package com.volcstudio.upload;

import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Which uploads tasks send as reference images. The tasks are the generation package's table, above
 * this one: it answers these for the uploads, which never read that table.
 */
public interface UploadReferences {

  /**
   * Whether a pending or running task names the upload among its references: it reads the upload
   * again when it reaches the upstream.
   */
  Mono<Boolean> heldByUnfinishedTask(String uploadId);

  /** Every upload some task names among its references, whatever the task's state. */
  Mono<Set<String>> namedByAnyTask();
}
