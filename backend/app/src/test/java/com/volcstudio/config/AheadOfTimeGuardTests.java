package com.volcstudio.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class AheadOfTimeGuardTests {

  private static StandardEnvironment environment(
      Map<String, Object> variables, Map<String, Object> packaged) {
    StandardEnvironment environment = new StandardEnvironment();
    MutablePropertySources sources = environment.getPropertySources();
    sources.replace(
        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    sources.addLast(new OriginTrackedMapPropertySource("application.yml", packaged));
    return environment;
  }

  @Test
  void aSpringBootSwitchFromTheEnvironmentStopsAnAheadOfTimeStartNamingTheVariable() {
    var environment = environment(Map.of("SPRINGDOC_API_DOCS_ENABLED", "false"), Map.of());

    assertThatThrownBy(() -> AheadOfTimeGuard.check(environment, true))
        .isInstanceOfSatisfying(
            InvalidSettingException.class,
            e -> {
              assertThat(e.variable()).isEqualTo("SPRINGDOC_API_DOCS_ENABLED");
              assertThat(e.reason()).contains("JAVA_OPTS").contains("-Dspring.aot.enabled=true");
            });
  }

  @Test
  void exposureHealthSwitchesAndProfilesAreRefusedToo() {
    for (String variable :
        new String[] {
          "MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE",
          "MANAGEMENT_HEALTH_STORAGE_ENABLED",
          "SPRING_PROFILES_ACTIVE"
        }) {
      assertThatThrownBy(
              () -> AheadOfTimeGuard.check(environment(Map.of(variable, "x"), Map.of()), true))
          .as(variable)
          .isInstanceOfSatisfying(
              InvalidSettingException.class, e -> assertThat(e.variable()).isEqualTo(variable));
    }
  }

  @Test
  void theStudiosOwnSettingsAndThePackagedConfigurationPass() {
    var environment =
        environment(
            Map.of("VOLC_QPS", "2", "DATA_DIR", "/data", "MANAGEMENT_SERVER_PORT", "9000"),
            Map.of("management.endpoint.health.probes.enabled", "true"));

    assertThatCode(() -> AheadOfTimeGuard.check(environment, true)).doesNotThrowAnyException();
  }

  @Test
  void withoutAheadOfTimeEverySettingIsReadAtRunTime() {
    var environment = environment(Map.of("SPRINGDOC_API_DOCS_ENABLED", "false"), Map.of());

    assertThatCode(() -> AheadOfTimeGuard.check(environment, false)).doesNotThrowAnyException();
  }
}
