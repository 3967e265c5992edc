package com.volcstudio.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The leak test with {@code LOG_FORMAT=json}: the same flows, masked inside JSON strings, and every line
 * on stdout from the app's start on is one valid JSON object — masking must never break a line.
 */
@TestPropertySource(properties = "LOG_FORMAT=json")
class JsonLogKeyLeakTests extends KeyLeakTests {

  static final Upstream upstream = new Upstream();

  @DynamicPropertySource
  static void liveModeWithTheRightSecret(DynamicPropertyRegistry registry) {
    upstream.configure(registry, SECRET_KEY);
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  @Override
  String expectedGenerationStatus() {
    return "completed";
  }

  @Override
  void assertFormat(CapturedOutput output) {
    JsonMapper json = JsonMapper.builder().build();
    List<String> lines = output.getOut().lines().dropWhile(line -> !line.startsWith("{")).toList();
    // Lines before the first JSON one were written before this context switched logging to JSON.
    assertThat(lines).hasSizeGreaterThan(100);
    for (String line : lines) {
      JsonNode event = json.readTree(line);
      assertThat(event.isObject()).as("a JSON object per line: %s", line).isTrue();
      assertThat(event.path("@timestamp").isString()).as("an ECS event: %s", line).isTrue();
    }
  }
}
