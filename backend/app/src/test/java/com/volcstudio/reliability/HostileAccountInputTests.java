package com.volcstudio.reliability;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The hostile-input suite against the account, token and audit operations with login on, sent as
 * the admin (so that the requests reach the checks rather than the login): bad input is a 4xx
 * problem that stores nothing, never a 5xx.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=1h",
      "APP_LOG_LEVEL=ERROR",
      "APP_AUTH_USERNAME=admin",
      "APP_AUTH_PASSWORD=hostile admin 1"
    })
class HostileAccountInputTests extends HostileInputTests {

  @Override
  boolean covers(Operation operation) {
    return operation.path().startsWith("/api/v1/users")
        || operation.path().startsWith("/api/v1/tokens")
        || operation.path().startsWith("/api/v1/audit");
  }

  @Override
  int minRequests() {
    return 200;
  }

  @Override
  String authorization() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString("admin:hostile admin 1".getBytes(StandardCharsets.UTF_8));
  }

  /** Prompts belong to the base class's run. */
  @Override
  void promptsAndNamesWithLoneSurrogatesOrNulAreRefused() {}
}
