package com.volcstudio.account;

import com.volcstudio.database.StartupMigration;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * With login on, the account of APP_AUTH_USERNAME exists before the web server takes its first
 * login: made (or brought back to an enabled admin) once the migrations are done, while the context
 * finishes starting. With login off there is nothing to do.
 */
@Component
class AccountBootstrap implements SmartInitializingSingleton {

  private final Accounts accounts;
  private final StartupMigration migration;
  private final String username;

  AccountBootstrap(
      Accounts accounts,
      StartupMigration migration,
      @Value("${security.auth-username:}") String username,
      @Value("${security.auth-password:}") String password) {
    this.accounts = accounts;
    this.migration = migration;
    // The same rule as security.StudioSecurityProperties#authEnabled: both set.
    this.username = username.isBlank() || password.isBlank() ? "" : username.strip();
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (username.isEmpty()) {
      return;
    }
    // The main thread, during the start: waiting here is what keeps the first login from racing it.
    migration.done().join();
    accounts.ensureEnvironmentAdmin(username).block();
  }
}
