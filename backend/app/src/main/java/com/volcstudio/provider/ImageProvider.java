package com.volcstudio.provider;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.connection.Providers;
import java.util.List;
import reactor.core.publisher.Mono;

/** One upstream protocol family's way to produce an image for a catalog model. */
public interface ImageProvider {

  /** Whether this family serves the model, judged by its catalog entry (provider and action). */
  boolean serves(CatalogModel model);

  /**
   * The images of one upstream call (one is asked for), generated and fetched, with retryable
   * failures tried again. The request is read only when a new upstream call needs it (an async job
   * being resumed does not).
   */
  Mono<List<byte[]>> generate(
      CatalogModel model,
      Providers.Active connections,
      Mono<ImageRequest> request,
      UpstreamJobs jobs);

  /**
   * Asks the service to stop an upstream job this provider submitted; emits whether it did. A
   * family that cannot cancel emits false, and the job is left to finish unseen.
   */
  default Mono<Boolean> cancel(
      CatalogModel model, Providers.Active connections, String upstreamTaskId) {
    return Mono.just(false);
  }
}
