package com.volcstudio.provider;

import com.volcstudio.catalog.CatalogModel;
import java.util.List;
import org.springframework.stereotype.Component;

/** Finds the provider for a catalog model among the families the app speaks. */
@Component
public final class ImageProviders {

  private final List<ImageProvider> providers;

  ImageProviders(List<ImageProvider> providers) {
    this.providers = List.copyOf(providers);
  }

  /** The family serving the model; a catalog entry no family serves is a bug in the catalog. */
  public ImageProvider of(CatalogModel model) {
    return providers.stream()
        .filter(provider -> provider.serves(model))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no provider serves model "
                        + model.id()
                        + " ("
                        + model.provider()
                        + ", "
                        + model.action()
                        + ")"));
  }
}
