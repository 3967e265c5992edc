package com.volcstudio.usage;

import reactor.core.publisher.Mono;

/**
 * The images that pending and running tasks are still to make, which the monthly quota holds for
 * them. Tasks and their images are the generation and image packages' tables, above this one: the
 * generation package answers this for the quota, which never reads their tables.
 */
public interface ImagesToCome {

  /**
   * The images pending and running tasks asked for, less those they have stored already (which the
   * usage ledger has counted).
   */
  Mono<Long> count();

  /** The same for the tasks of one owner (generation_task.owner_id). */
  Mono<Long> count(String owner);
}
