package com.volcstudio.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The leak test with {@code LOG_FORMAT=json} and {@code LOG_DIR}: the same flows, masked inside
 * JSON strings; every line on stdout from the app's start on, and every line of {@code
 * LOG_DIR/studio.log}, is one valid JSON object (masking must never break a line), and the file is
 * as clean as stdout.
 */
@TestPropertySource(properties = {"LOG_FORMAT=json", "LOG_DIR=target/test-logs/${random.uuid}"})
class JsonLogKeyLeakTests extends KeyLeakTests {

  static final Upstream upstream = new Upstream();

  @DynamicPropertySource
  static void liveModeWithTheRightSecret(DynamicPropertyRegistry registry) {
    upstream.configure(registry, SECRET_KEY);
  }

  @AfterAll
  static void stopUpstreamAndRestoreTextLogging() {
    upstream.close();
    // Spring Boot hands these settings to Logback as system properties and never overwrites one
    // already
    // set: left in place, every later test context in this JVM would log JSON into this test's
    // LOG_DIR.
    List.of("CONSOLE_LOG_STRUCTURED_FORMAT", "FILE_LOG_STRUCTURED_FORMAT", "LOG_FILE", "LOG_PATH")
        .forEach(System::clearProperty);
  }

  @Override
  String expectedGenerationStatus() {
    return "completed";
  }

  @Value("${logging.file.name}")
  Path logFile;

  @Override
  void assertFormat(CapturedOutput output) throws IOException {
    // Lines before the first JSON one were written before this context switched logging to JSON.
    assertEveryLineIsAnEcsEvent(
        output.getOut().lines().dropWhile(line -> !line.startsWith("{")).toList());

    assertThat(logFile).hasFileName("studio.log");
    String file = Files.readString(logFile);
    assertNoKeyMaterial("LOG_DIR/studio.log", file);
    assertEveryLineIsAnEcsEvent(file.lines().toList());
  }

  private static void assertEveryLineIsAnEcsEvent(List<String> lines) {
    assertThat(lines).hasSizeGreaterThan(100);
    JsonMapper json = JsonMapper.builder().build();
    for (String line : lines) {
      JsonNode event = json.readTree(line);
      assertThat(event.isObject()).as("a JSON object per line: %s", line).isTrue();
      assertThat(event.path("@timestamp").isString()).as("an ECS event: %s", line).isTrue();
    }
  }
}
