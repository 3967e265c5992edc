package com.volcstudio.provider;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.connection.Providers;
import com.volcstudio.volcengine.ArkClient;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
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
   * A related set of images from one streamed call, for a model whose catalog entry says {@code
   * sequential}: each image (or its own failure) is handed to {@code arrived} as it comes;
   * completes when the set is done. A call cut midway is tried again for {@code remaining} images
   * only (read at each attempt), under the same retry rules as any call.
   */
  default Mono<Void> generateSet(
      CatalogModel model,
      Providers.Active connections,
      Mono<ImageRequest> request,
      IntSupplier remaining,
      Consumer<ArkClient.SetPart> arrived) {
    return Mono.error(new UnsupportedOperationException(model.id() + " does not make image sets"));
  }

  /**
   * Asks the service to stop an upstream job this provider submitted; emits whether it did. A
   * family that cannot cancel emits false, and the job is left to finish unseen.
   */
  default Mono<Boolean> cancel(
      CatalogModel model, Providers.Active connections, String upstreamTaskId) {
    return Mono.just(false);
  }
}
