package com.volcstudio.generation;

import java.time.Instant;

/** An asynchronous upstream task working on one image of a generation task. */
record UpstreamJob(
    String taskId, int imageIndex, String reqKey, String upstreamTaskId, Instant submittedAt) {}
