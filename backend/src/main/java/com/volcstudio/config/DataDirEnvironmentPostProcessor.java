package com.volcstudio.config;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Derives both database URLs from the single {@code DATA_DIR} setting, so R2DBC (the app) and
 * JDBC (Flyway migrations) always open the same H2 file. Runs last, after application.yml and
 * the random value source, so a value such as {@code target/test-data/${random.uuid}} is resolved
 * exactly once and every bean sees the same absolute directory.
 */
public class DataDirEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  static final String DATA_DIR = "studio.data-dir";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    String configured = environment.getProperty(DATA_DIR, "./data");
    Path dataDir = Path.of(configured).toAbsolutePath().normalize();
    String dbFile = dataDir.resolve("db").resolve("studio").toString();
    
    environment.getPropertySources().addFirst(new MapPropertySource("studioDataDir", Map.of(
        DATA_DIR, dataDir.toString(),
        // Four slashes before the absolute path: with three, H2 loses the leading slash (error 90011).
        "spring.r2dbc.url", "r2dbc:h2:file:///" + dbFile,
        "spring.flyway.url", "jdbc:h2:file:" + dbFile)));
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
