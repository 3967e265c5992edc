package com.volcstudio.provider;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Where an asynchronous provider keeps the upstream task it submitted for one image, so that a
 * restart polls that task again instead of paying for a second submission. The task lifecycle owns
 * the storage; the provider decides when to write.
 */
public interface UpstreamJobs {

  /**
   * What is recorded for this image: empty when nothing was submitted; a submission without an
   * upstream id when a submit went out and its answer was never recorded (the app stopped while it
   * was under way).
   */
  Mono<Submission> recorded();

  /** Records that a submit is about to go out; completes once that is durable. */
  Mono<Void> submitting(String reqKey);

  /**
   * Forgets that a submit went out: the service answered that it did not take it (a refusal, a
   * quota answer, a 5xx). Completes once that is durable.
   */
  Mono<Void> refused();

  /** Records the submitted upstream task; completes once it is durable, before the first poll. */
  Mono<Void> remember(String reqKey, String upstreamTaskId);

  /**
   * @param upstreamTaskId the service's task id; null while the submit's answer is unknown
   */
  record Submission(@Nullable String upstreamTaskId) {}
}
