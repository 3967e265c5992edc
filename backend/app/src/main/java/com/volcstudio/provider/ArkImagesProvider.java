package com.volcstudio.provider;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.connection.Providers;
import com.volcstudio.volcengine.ArkClient;
import com.volcstudio.volcengine.QuotaGovernor;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Ark's images API ({@code POST /api/v3/images/generations}): one request, images back inline. */
@Component
final class ArkImagesProvider implements ImageProvider {

  private final ArkClient ark;
  private final QuotaGovernor governor;

  ArkImagesProvider(ArkClient ark, QuotaGovernor governor) {
    this.ark = ark;
    this.governor = governor;
  }

  @Override
  public boolean serves(CatalogModel model) {
    return model.provider().equals("ark");
  }

  @Override
  public Mono<List<byte[]>> generate(
      CatalogModel model,
      Providers.Active connections,
      Mono<ImageRequest> request,
      UpstreamJobs jobs) {
    var connection = connections.ark().orElseThrow();
    return request.flatMap(
        image -> governor.withRetries(ark.generate(connection, WireRequests.ark(image, model))));
  }

  @Override
  public Mono<Void> generateSet(
      CatalogModel model,
      Providers.Active connections,
      Mono<ImageRequest> request,
      IntSupplier remaining,
      Consumer<ArkClient.SetPart> arrived) {
    var connection = connections.ark().orElseThrow();
    return request.flatMap(
        image ->
            governor.withRetries(
                Mono.defer(
                    () ->
                        remaining.getAsInt() <= 0
                            ? Mono.<Void>empty()
                            : ark.stream(
                                connection,
                                WireRequests.arkSet(image, model, remaining.getAsInt()),
                                arrived))));
  }
}
