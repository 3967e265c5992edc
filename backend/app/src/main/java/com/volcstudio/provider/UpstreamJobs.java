package com.volcstudio.provider;

import reactor.core.publisher.Mono;

/**
 * Where an asynchronous provider keeps the upstream task it submitted for one image, so that a
 * restart polls that task again instead of paying for a second submission. The task lifecycle owns
 * the storage; the provider decides when to write.
 */
public interface UpstreamJobs {

  /** The upstream task already submitted for this image; empty when there is none. */
  Mono<String> submitted();

  /** Records a submitted upstream task; completes once it is durable, before the first poll. */
  Mono<Void> remember(String reqKey, String upstreamTaskId);
}
