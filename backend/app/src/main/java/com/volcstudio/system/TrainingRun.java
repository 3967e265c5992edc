package com.volcstudio.system;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The class-data-sharing training run ({@code -Dstudio.training-run=true}, with {@code
 * -XX:ArchiveClassesAtExit}; {@code make run} and the Docker image make one): once the app is ready
 * it asks itself for what the UI's first load asks for, then exits. The JVM then archives the
 * classes of the first requests as well as those of the start-up, which Spring's {@code
 * -Dspring.context.exit=onRefresh} would leave out; the first {@code /api/v1/system/info} of a real
 * start then takes a third of the time. Without the property this does nothing.
 */
@Component
class TrainingRun {

  static final String PROPERTY = "studio.training-run";

  /** GETs of a first page load (index.html, and what the UI's stores load at once). */
  static final List<String> FIRST_LOAD =
      List.of(
          "/",
          "/api/v1/system/info",
          "/api/v1/models",
          "/api/v1/settings",
          "/api/v1/presets",
          "/api/v1/queue",
          "/api/v1/tasks",
          "/api/v1/history",
          "/api/v1/usage",
          "/actuator/health");

  private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

  /**
   * Asks the app on {@code port} for {@link #FIRST_LOAD}, as a browser would, and answers the
   * statuses in that order.
   */
  static List<Integer> firstLoad(int port) {
    WebClient http = WebClient.create("http://127.0.0.1:" + port);
    List<Integer> statuses = new java.util.ArrayList<>();
    for (String path : FIRST_LOAD) {
      // Whatever the status (a 404 for / without a frontend build, a 401 with a login set): the
      // classes that answered it are loaded either way.
      statuses.add(
          http.get()
              .uri(path)
              // as a browser asks, so that index.html is served from its precompressed copy
              .header(HttpHeaders.ACCEPT_ENCODING, "br, gzip")
              .exchangeToMono(
                  response -> response.releaseBody().thenReturn(response.statusCode().value()))
              .block(Duration.ofSeconds(60)));
    }
    return statuses;
  }

  @EventListener(ApplicationReadyEvent.class)
  void ready(ApplicationReadyEvent event) {
    ConfigurableApplicationContext context = event.getApplicationContext();
    Environment environment = context.getEnvironment();
    if (!environment.getProperty(PROPERTY, Boolean.class, false)) {
      return;
    }
    int port = environment.getRequiredProperty("local.server.port", Integer.class);
    List<Integer> statuses = firstLoad(port);
    for (int i = 0; i < FIRST_LOAD.size(); i++) {
      log.info("Training run: GET {} -> {}", FIRST_LOAD.get(i), statuses.get(i));
    }
    System.exit(SpringApplication.exit(context));
  }
}
