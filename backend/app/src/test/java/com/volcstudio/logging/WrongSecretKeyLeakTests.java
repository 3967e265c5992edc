package com.volcstudio.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The leak test on the gateway's error path: the app signs with a mistyped secret, the emulated
 * gateway answers 401 SignatureDoesNotMatch, and neither that answer nor its logging may show a key
 * or signature.
 */
class WrongSecretKeyLeakTests extends KeyLeakTests {

  static final Upstream upstream = new Upstream();

  @DynamicPropertySource
  static void liveModeWithAMistypedSecret(DynamicPropertyRegistry registry) {
    upstream.configure(registry, WRONG_SECRET_KEY);
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  @Override
  String expectedGenerationStatus() {
    return "failed";
  }

  @Override
  void assertFormat(CapturedOutput output) {
    assertThat(output.getAll()).contains("SignatureDoesNotMatch");
  }
}
