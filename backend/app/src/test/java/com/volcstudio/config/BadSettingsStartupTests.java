package com.volcstudio.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.volcstudio.StudioApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Issue 6, bad input: a malformed .env value stops the app with one line naming the variable, and
 * no stack trace. The app is started for real, with the value as the environment would give it.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadSettingsStartupTests {

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "VOLC_QPS       | abc       | VOLC_QPS='abc' is not valid: expected a number",
        "VOLC_QPS       | 0         | VOLC_QPS must be from 0.1 to 1000 calls per second, not 0",
        "APP_PORT       | x         | APP_PORT='x' is not valid: expected a whole number",
        "MONTHLY_IMAGE_QUOTA | lots | MONTHLY_IMAGE_QUOTA='lots' is not valid: expected a whole number",
        "MODEL_PRICES_CNY | seedream_4.0=cheap | MODEL_PRICES_CNY entry 'seedream_4.0=cheap' is not valid: expected model=price",
        "MODEL_PRICES_CNY | no_such_model=0.1 | MODEL_PRICES_CNY names 'no_such_model', which is not in the model catalog",
        "DEMO_LATENCY   | soon      | DEMO_LATENCY='soon' is not valid: expected a duration such as 500ms, 5s or 2m",
        "TASK_DEADLINE  | 0s        | TASK_DEADLINE must be from 1s to 30 days, not 0s",
        "ARK_ENDPOINT   | ht tp://x | ARK_ENDPOINT='ht tp://x' is not valid: expected a URL such as https://example.com",
        "APP_SECRET_KEY | too-short | APP_SECRET_KEY is too short",
        "LOG_FORMAT     | xml       | LOG_FORMAT must be text, json, ecs, logstash or gelf, not 'xml'",
        "S3_CACHE_MB    | 8         | S3_CACHE_MB must be at least 16, not 8"
      })
  void aMalformedValueStopsTheStartWithOneLineNamingTheVariable(
      String variable, String value, String expected, CapturedOutput output) {
    Path dataDir = Path.of("target/test-data", UUID.randomUUID().toString());
    assertThatThrownBy(() -> start("--DATA_DIR=" + dataDir, "--" + variable + "=" + value))
        .isNotNull();
    assertThat(output.getAll()).contains(expected).doesNotContain("\tat ");
    if (variable.equals("APP_SECRET_KEY")) {
      assertThat(output.getAll()).doesNotContain("too-short");
    }
  }

  @ParameterizedTest(name = "VOLC_QPS={0}")
  @CsvSource({"0.5", "0.1"})
  void aRateBelowOnePerSecondStartsAsTheSettingsDialogAcceptsIt(String qps) {
    Path dataDir = Path.of("target/test-data", UUID.randomUUID().toString());
    try (var context =
        new SpringApplication(StudioApplication.class)
            .run("--DATA_DIR=" + dataDir, "--APP_PORT=0", "--VOLC_QPS=" + qps)) {
      assertThat(context.getBean(com.volcstudio.volcengine.VolcProperties.class).qps())
          .isEqualTo(Double.parseDouble(qps));
    }
  }

  @ParameterizedTest(name = "DATA_DIR inside a file")
  @CsvSource("unused")
  void aDataDirThatCannotBeCreatedStopsTheStartNamingIt(String unused, CapturedOutput output)
      throws Exception {
    Path file = Files.createTempFile("not-a-directory", ".txt");
    assertThatThrownBy(() -> start("--DATA_DIR=" + file.resolve("data")))
        .isInstanceOf(InvalidSettingException.class);
    assertThat(output.getAll())
        .contains("DATA_DIR " + file.resolve("data").toAbsolutePath() + " cannot be created")
        .doesNotContain("\tat ");
    Files.delete(file);
  }

  /** Starts the app; on a free port unless the case is about the port. */
  private static void start(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (all.stream().noneMatch(a -> a.startsWith("--APP_PORT="))) {
      all.add("--APP_PORT=0");
    }
    new SpringApplication(StudioApplication.class).run(all.toArray(String[]::new)).close();
  }
}
