package com.volcstudio.system;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.config.StudioProperties;
import com.volcstudio.image.ImageStore;
import com.volcstudio.retention.RetentionService;
import com.volcstudio.retention.StorageStatus;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/v1/system/info}: the proposal's shape plus {@code mode}. */
@RestController
class SystemController {

  record Quota(long used, int limit) {}

  record SystemInfo(String version, StudioMode mode, boolean apiConnected, List<String> models, Quota quota,
      StorageStatus storage) {}

  private final Providers providers;
  private final ModelCatalog catalog;
  private final ImageStore images;
  private final StudioProperties properties;
  private final RetentionService retention;
  private final String version;
  private final Clock clock = Clock.systemUTC();

  SystemController(Providers providers, ModelCatalog catalog, ImageStore images, StudioProperties properties,
      RetentionService retention, ObjectProvider<BuildProperties> build) {
    this.providers = providers;
    this.catalog = catalog;
    this.images = images;
    this.properties = properties;
    this.retention = retention;
    BuildProperties info = build.getIfAvailable();
    this.version = info == null ? "dev" : info.getVersion();
  }

  @GetMapping("/api/v1/system/info")
  Mono<SystemInfo> info() {
    // The quota counts this calendar month's images (UTC); the limit is a setting, not an upstream figure.
    var monthStart = LocalDate.now(clock).withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    List<String> available = catalog.all().stream()
        .filter(m -> providers.unavailableReason(m.provider()).isEmpty())
        .map(CatalogModel::id)
        .toList();
    return images.countCreatedSince(monthStart).zipWith(retention.status()).map(found -> new SystemInfo(
        version, providers.mode(), providers.visual().isPresent() || providers.ark().isPresent(), available,
        new Quota(found.getT1(), properties.monthlyImageQuota()), found.getT2()));
  }
}
