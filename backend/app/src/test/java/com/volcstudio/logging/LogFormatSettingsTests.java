package com.volcstudio.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import com.volcstudio.config.StudioEnvironmentPostProcessor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** How LOG_FORMAT, LOG_DIR and APP_DEBUG become Spring Boot logging settings. */
class LogFormatSettingsTests {

  @Test
  void logsHumanReadableTextToStdoutOnlyByDefault() {
    MockEnvironment environment = derive(new MockEnvironment());
    assertThat(environment.getProperty("logging.structured.format.console")).isNull();
    assertThat(environment.getProperty("logging.structured.format.file")).isNull();
    assertThat(environment.getProperty("logging.file.name")).isNull();
    assertThat(environment.getProperty("logging.level.com.volcstudio")).isNull();
  }

  @Test
  void jsonMeansSpringBootsEcsFormatOnStdoutAndInTheFile() {
    MockEnvironment environment = derive(new MockEnvironment().withProperty("LOG_FORMAT", "JSON"));
    assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("ecs");
    assertThat(environment.getProperty("logging.structured.format.file")).isEqualTo("ecs");
  }

  @Test
  void otherStructuredFormatsPassThrough() {
    assertThat(
            derive(new MockEnvironment().withProperty("LOG_FORMAT", "logstash"))
                .getProperty("logging.structured.format.console"))
        .isEqualTo("logstash");
    assertThat(
            derive(new MockEnvironment().withProperty("LOG_FORMAT", "text"))
                .getProperty("logging.structured.format.console"))
        .isNull();
  }

  @Test
  void rejectsAnUnknownLogFormatAtStartUp() {
    assertThatIllegalStateException()
        .isThrownBy(() -> derive(new MockEnvironment().withProperty("LOG_FORMAT", "xml")))
        .withMessageContaining("LOG_FORMAT must be text, json");
  }

  @Test
  void logDirAddsTheStudioLogFileAndAppDebugTheAppsDebugLevel() {
    MockEnvironment environment =
        derive(
            new MockEnvironment()
                .withProperty("LOG_DIR", "/var/log/studio")
                .withProperty("studio.debug", "true"));
    assertThat(environment.getProperty("logging.file.name"))
        .isEqualTo(Path.of("/var/log/studio/studio.log").toString());
    assertThat(environment.getProperty("logging.level.com.volcstudio")).isEqualTo("DEBUG");
  }

  private static MockEnvironment derive(MockEnvironment environment) {
    new StudioEnvironmentPostProcessor()
        .postProcessEnvironment(environment, new SpringApplication());
    return environment;
  }
}
