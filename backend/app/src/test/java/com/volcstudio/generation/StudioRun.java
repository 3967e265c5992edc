package com.volcstudio.generation;

import com.volcstudio.StudioApplication;
import java.nio.file.Path;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole app in demo mode on a DATA_DIR of the test's choosing, for tests that stop it and start
 * it again on the same data.
 */
final class StudioRun {

  private StudioRun() {}

  static ConfigurableApplicationContext start(Path dataDir, String demoLatency) {
    return new SpringApplicationBuilder(StudioApplication.class)
        .properties("DATA_DIR=" + dataDir, "DEMO_LATENCY=" + demoLatency, "APP_PORT=0")
        .run();
  }

  static String baseUrl(ConfigurableApplicationContext app) {
    return "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
  }
}
