package com.volcstudio.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The encoder logback-spring.xml gives every appender, in both of its modes, on a real logger
 * context.
 */
class RedactingEncoderTests {

  static final String SECRET_KEY = "ZW5jb2Rlci10ZXN0cy1zZWNyZXQta2V5LXZhbHVl";
  static final String ACCESS_KEY = "AKLTencodertests000000000000000wxyz";

  final LoggerContext context = new LoggerContext();

  RedactingEncoderTests() {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("volc.secret-key", SECRET_KEY)
            .withProperty("volc.access-key", ACCESS_KEY)
            .withProperty("spring.application.name", "encoder-tests");
    // Where Spring Boot's LogbackLoggingSystem leaves its Environment for encoders to find.
    context.putObject(Environment.class.getName(), environment);
    context.setMDCAdapter(new LogbackMDCAdapter());
  }

  @Test
  void masksMessageAndEveryExceptionInTheStackTraceOfTheHumanFormat() {
    RedactingEncoder encoder = started(null);

    String line = encode(encoder, leakyEvent());

    assertThat(line)
        .doesNotContain(SECRET_KEY, ACCESS_KEY)
        .contains(
            "signing with **** for AKLT****wxyz",
            "IllegalStateException: bad key ****",
            "Caused by: java.lang.IllegalArgumentException: Authorization: ****",
            "at com.volcstudio");
  }

  @Test
  void masksTheJsonFormatAndEmitsOneValidJsonObjectPerLine() {
    RedactingEncoder encoder = started("ecs");

    String line = encode(encoder, leakyEvent());

    assertThat(line).doesNotContain(SECRET_KEY, ACCESS_KEY).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode json = JsonMapper.builder().build().readTree(line);
    assertThat(json.path("message").asString()).isEqualTo("signing with **** for AKLT****wxyz");
    assertThat(json.path("error").path("message").asString()).isEqualTo("bad key ****");
    assertThat(json.path("error").path("stack_trace").asString()).contains("Authorization: ****");
  }

  private RedactingEncoder started(String structuredFormat) {
    RedactingEncoder encoder = new RedactingEncoder();
    encoder.setContext(context);
    encoder.setPattern("%level %logger : %m%n%ex");
    if (structuredFormat != null) {
      encoder.setStructuredFormat(structuredFormat);
    }
    encoder.start();
    assertThat(encoder.isStarted()).isTrue();
    return encoder;
  }

  private LoggingEvent leakyEvent() {
    Exception cause =
        new IllegalArgumentException("Authorization: HMAC-SHA256 Credential=" + ACCESS_KEY + "/x");
    Exception failure = new IllegalStateException("bad key " + SECRET_KEY, cause);
    return new LoggingEvent(
        RedactingEncoderTests.class.getName(),
        context.getLogger("com.volcstudio.test"),
        Level.ERROR,
        "signing with {} for {}",
        failure,
        new Object[] {SECRET_KEY, ACCESS_KEY});
  }

  private static String encode(RedactingEncoder encoder, LoggingEvent event) {
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }
}
