package com.volcstudio.provider;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.connection.Providers;
import com.volcstudio.volcengine.QuotaGovernor;
import com.volcstudio.volcengine.VisualClient;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The visual API's synchronous call ({@code CVProcess} and its kin, e.g. the editing keys' own
 * actions): one request, images back. The action is the catalog's, since for the editing keys the
 * sources disagree on it (PROTOCOL-2026-12 §1).
 */
@Component
final class VisualSyncProvider implements ImageProvider {

  private final VisualClient visual;
  private final QuotaGovernor governor;

  VisualSyncProvider(VisualClient visual, QuotaGovernor governor) {
    this.visual = visual;
    this.governor = governor;
  }

  @Override
  public boolean serves(CatalogModel model) {
    return model.provider().equals("visual") && !model.action().equals(VisualAsyncProvider.ACTION);
  }

  @Override
  public Mono<List<byte[]>> generate(
      CatalogModel model,
      Providers.Active connections,
      Mono<ImageRequest> request,
      UpstreamJobs jobs) {
    var connection = connections.visual().orElseThrow();
    return request.flatMap(
        image ->
            governor.withRetries(
                visual.process(connection, model.action(), WireRequests.cvProcess(image, model))));
  }
}
