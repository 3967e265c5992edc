package com.volcstudio.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.AfterAll;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The leak test with the human-readable log and the right keys: a generation completes. */
class TextLogKeyLeakTests extends KeyLeakTests {

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
    assertThat(output.getOut())
        .contains(" INFO ", " TRACE ", "com.volcstudio.connection.Providers");
    // Without LOG_DIR there is no file appender (and no stray spring.log in /tmp, as Boot's
    // base.xml writes).
    Logger root =
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getAppender("CONSOLE")).isNotNull();
    assertThat(root.getAppender("FILE")).isNull();
  }
}
