package com.volcstudio.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Refuses, under Spring AOT, a setting from outside the jar that AOT would silently ignore.
 *
 * <p>{@code make run} and the Docker image start with {@code -Dspring.aot.enabled=true}: the bean
 * definitions were worked out when the jar was built, and with them every property-driven
 * condition. None of the app's own settings (.env.example) is such a condition, but Spring Boot's
 * and springdoc's switches are ({@code SPRINGDOC_API_DOCS_ENABLED=false}, {@code
 * MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE}, {@code MANAGEMENT_HEALTH_…_ENABLED}, profiles). Set
 * from the environment, a system property or the command line they would change nothing, so the
 * start stops with one line that names the variable and the way out (JAVA_OPTS without the flag).
 */
final class AheadOfTimeGuard {

  private static final List<ConfigurationPropertyName> SWITCHED_PARTS =
      List.of(
          ConfigurationPropertyName.of("springdoc"), ConfigurationPropertyName.of("management"));
  private static final ConfigurationPropertyName EXPOSURE =
      ConfigurationPropertyName.of("management.endpoints.web.exposure");
  private static final ConfigurationPropertyName PROFILES =
      ConfigurationPropertyName.of("spring.profiles");
  private static final List<String> OUTSIDE_THE_JAR =
      List.of(
          StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
          StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
          CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME);

  private AheadOfTimeGuard() {}

  static void check(ConfigurableEnvironment environment, boolean aheadOfTime) {
    if (!aheadOfTime) {
      return;
    }
    for (String name : OUTSIDE_THE_JAR) {
      PropertySource<?> source = environment.getPropertySources().get(name);
      if (source == null) {
        continue;
      }
      frozen(source)
          .ifPresent(
              setting -> {
                throw new InvalidSettingException(
                    setting,
                    "switches a part of Spring Boot on or off, which this build decided when it was"
                        + " made (Spring AOT, -Dspring.aot.enabled=true): remove it, or set JAVA_OPTS"
                        + " without that flag (README: Start-up and footprint)");
              });
    }
  }

  private static Optional<String> frozen(PropertySource<?> source) {
    if (!(ConfigurationPropertySource.from(source)
        instanceof IterableConfigurationPropertySource iterable)) {
      return Optional.empty();
    }
    return StreamSupport.stream(iterable.spliterator(), false)
        .filter(AheadOfTimeGuard::decidedAtBuildTime)
        .findFirst()
        .map(name -> originalName(iterable, name));
  }

  static boolean decidedAtBuildTime(ConfigurationPropertyName name) {
    boolean aSwitch =
        SWITCHED_PARTS.stream().anyMatch(part -> part.isAncestorOf(name))
            && name.getLastElement(ConfigurationPropertyName.Form.UNIFORM).equals("enabled");
    return aSwitch || EXPOSURE.isAncestorOf(name) || PROFILES.isAncestorOf(name);
  }

  /** The name as the user wrote it (SPRINGDOC_API_DOCS_ENABLED, not springdoc.api.docs.enabled). */
  private static String originalName(
      IterableConfigurationPropertySource source, ConfigurationPropertyName name) {
    var property = source.getConfigurationProperty(name);
    Origin origin = property == null ? null : property.getOrigin();
    if (origin instanceof SystemEnvironmentOrigin environment) {
      return environment.getProperty();
    }
    if (origin instanceof PropertySourceOrigin fromSource) {
      return fromSource.getPropertyName();
    }
    return name.toString();
  }
}
