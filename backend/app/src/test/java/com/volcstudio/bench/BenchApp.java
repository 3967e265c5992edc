package com.volcstudio.bench;

import com.volcstudio.StudioApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real app started in the benchmark's JVM on a free port, in demo mode unless told otherwise.
 */
final class BenchApp implements AutoCloseable {

  final ConfigurableApplicationContext context;
  final String baseUrl;

  private BenchApp(ConfigurableApplicationContext context) {
    this.context = context;
    this.baseUrl =
        "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  /** {@code settings} are environment-style names (DEMO_LATENCY=…): application.yml maps them. */
  static BenchApp start(String name, String... settings) {
    List<String> properties =
        new ArrayList<>(
            List.of(
                "DATA_DIR=" + Path.of("target/bench-data/" + name + "-" + System.nanoTime()),
                "APP_PORT=0",
                "APP_LOG_LEVEL=WARN"));
    properties.addAll(Arrays.asList(settings));
    return new BenchApp(
        new SpringApplicationBuilder(StudioApplication.class)
            .properties(properties.toArray(String[]::new))
            .run());
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }

  /** p-th percentile (0–100) of sorted values, nearest rank. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
