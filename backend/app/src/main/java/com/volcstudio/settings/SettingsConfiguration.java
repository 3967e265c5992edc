package com.volcstudio.settings;

import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.config.StudioProperties;
import com.volcstudio.connection.ConnectionCheck;
import com.volcstudio.connection.Providers;
import com.volcstudio.coordination.Broadcasts;
import com.volcstudio.database.StartupMigration;
import com.volcstudio.volcengine.ArkProperties;
import com.volcstudio.volcengine.VolcProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SettingsConfiguration {

  /**
   * Also the upstream clients' {@code UpstreamLimits}: they read the rates and concurrency here per
   * call.
   */
  @Bean
  CurrentSettings currentSettings(StudioProperties studio, VolcProperties volc, ArkProperties ark) {
    return new CurrentSettings(RuntimeSettings.fromEnvironment(studio, volc, ark));
  }

  @Bean
  CredentialCipher credentialCipher(SettingsProperties properties, StudioProperties studio) {
    return new CredentialCipher(MasterKey.load(properties.secretKey(), studio.dataDir()));
  }

  /**
   * Loads what earlier runs stored as soon as the service exists and the migrations have run:
   * asking for their initializer starts them, on a thread of their own (database.StartupMigration),
   * and the load follows on that thread while the rest of the context is built. No task or request
   * may see the connections before: the service waits for the load once every bean exists ({@link
   * SettingsService#afterSingletonsInstantiated}), before the web server and the dispatcher start.
   */
  @Bean
  SettingsService settingsService(
      SettingsRepository repository,
      CurrentSettings settings,
      Providers providers,
      CredentialCipher cipher,
      ConnectionCheck connection,
      ModelCatalog catalog,
      ApplicationEventPublisher events,
      Broadcasts broadcasts,
      ObjectProvider<FlywayMigrationInitializer> migrations,
      StartupMigration migration) {
    if (migrations.getIfAvailable() == null) {
      migration.notNeeded();
    }
    SettingsService service =
        new SettingsService(
            repository, settings, providers, cipher, connection, catalog, events, broadcasts);
    service.loadStoredAfter(migration.done());
    return service;
  }
}
