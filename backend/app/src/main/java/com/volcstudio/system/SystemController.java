package com.volcstudio.system;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.connection.ConnectionCheck;
import com.volcstudio.connection.Providers;
import com.volcstudio.connection.StudioMode;
import com.volcstudio.retention.RetentionService;
import com.volcstudio.retention.StorageStatus;
import com.volcstudio.usage.MonthlyQuota;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/system/info}: the proposal's shape plus {@code mode}, and {@code api_error}
 * saying why {@code api_connected} is false (from a real but free call, see {@link
 * ConnectionCheck}).
 */
@RestController
class SystemController {

  record ApiError(
      @Nullable String provider,
      @Nullable String code,
      ConnectionCheck.@Nullable Message message) {}

  record SystemInfo(
      String version,
      StudioMode mode,
      boolean apiConnected,
      @Nullable ApiError apiError,
      List<String> models,
      MonthlyQuota.Quota quota,
      StorageStatus storage) {}

  private final Providers providers;
  private final ConnectionCheck connection;
  private final ModelCatalog catalog;
  private final MonthlyQuota quota;
  private final RetentionService retention;
  private final String version;

  SystemController(
      Providers providers,
      ConnectionCheck connection,
      ModelCatalog catalog,
      MonthlyQuota quota,
      RetentionService retention,
      ObjectProvider<BuildProperties> build) {
    this.providers = providers;
    this.connection = connection;
    this.catalog = catalog;
    this.quota = quota;
    this.retention = retention;
    BuildProperties info = build.getIfAvailable();
    this.version = info == null ? "dev" : info.getVersion();
  }

  @GetMapping("/api/v1/system/info")
  Mono<SystemInfo> info() {
    Providers.Active active = providers.current();
    List<String> available =
        catalog.all().stream()
            .filter(m -> active.unavailableReason(m.provider()).isEmpty())
            .map(CatalogModel::id)
            .toList();
    return Mono.zip(quota.current(), connection.status(active), retention.status())
        .map(
            found -> {
              var status = found.getT2();
              return new SystemInfo(
                  version,
                  active.mode(),
                  status.connected(),
                  status.connected()
                      ? null
                      : new ApiError(status.provider(), status.code(), status.message()),
                  available,
                  found.getT1(),
                  found.getT3());
            });
  }
}
