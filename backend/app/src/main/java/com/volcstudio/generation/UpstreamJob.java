package com.volcstudio.generation;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An asynchronous upstream task working on one image of a generation task.
 *
 * @param upstreamTaskId null from just before the submit goes out until its answer is recorded
 */
record UpstreamJob(
    String taskId,
    int imageIndex,
    String reqKey,
    @Nullable String upstreamTaskId,
    Instant submittedAt) {}
