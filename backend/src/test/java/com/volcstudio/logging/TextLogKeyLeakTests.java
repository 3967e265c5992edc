package com.volcstudio.logging;

import org.junit.jupiter.api.AfterAll;
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
}
