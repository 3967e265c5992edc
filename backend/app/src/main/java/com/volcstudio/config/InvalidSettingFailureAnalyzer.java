package com.volcstudio.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * A malformed {@code .env} value stops the app with one line naming the variable ({@code
 * VOLC_QPS='abc' is not valid: expected a number}) instead of a stack trace. Spring Boot's own
 * analyzer for binding failures names the property ({@code volc.qps}) over several lines; a user
 * edits {@code VOLC_QPS}, so the variable is looked up from the {@code ${VOLC_QPS:2}} placeholder
 * application.yml reads it through. Ordered first so it answers before Boot's.
 */
class InvalidSettingFailureAnalyzer implements FailureAnalyzer, Ordered {

  private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{([A-Za-z0-9_]+)(?::.*)?}$");

  private final @Nullable Environment environment;

  InvalidSettingFailureAnalyzer(@Nullable Environment environment) {
    this.environment = environment;
  }

  @Override
  public @Nullable FailureAnalysis analyze(Throwable failure) {
    // A settings record's own check, thrown while binding, says more than the bind failure around
    // it.
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof InvalidSettingException invalid) {
        return analysis(invalid.variable() + " " + invalid.reason(), invalid);
      }
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException bind && bind.getProperty() != null) {
        return invalid(
            bind.getProperty().getName().toString(),
            bind.getProperty().getValue(),
            bind.getTarget().getType().toString(),
            bind);
      }
      if (cause instanceof InvalidConfigurationPropertyValueException invalid) {
        // server.port and other values Boot converts itself: the type is only named in the reason.
        return invalid(invalid.getName(), invalid.getValue(), typeOf(invalid), invalid);
      }
    }
    return null;
  }

  private FailureAnalysis invalid(
      String property, @Nullable Object rawValue, String type, Throwable cause) {
    String variable = variableOf(property).orElse(property);
    // The bound value may still be application.yml's placeholder; the variable's own value is what
    // the user wrote.
    Object value =
        environment != null && environment.getProperty(variable) != null
            ? environment.getProperty(variable)
            : rawValue;
    String shown = isSecret(variable) ? "" : "='" + value + "'";
    return analysis(variable + shown + " is not valid: expected " + expectation(type), cause);
  }

  private static String typeOf(InvalidConfigurationPropertyValueException invalid) {
    Matcher m = Pattern.compile("to type ([\\w.]+)").matcher(String.valueOf(invalid.getReason()));
    return m.find() ? m.group(1) : "";
  }

  private static FailureAnalysis analysis(String line, Throwable cause) {
    return new FailureAnalysis(
        line,
        "Fix it in .env (or the environment) and start again; .env.example describes every setting.",
        cause);
  }

  /** The environment variable a property reads, from its placeholder in application.yml. */
  private Optional<String> variableOf(String property) {
    if (environment instanceof ConfigurableEnvironment configurable) {
      for (PropertySource<?> source : configurable.getPropertySources()) {
        if (source instanceof EnumerablePropertySource<?> && source.getProperty(property) != null) {
          Matcher m = PLACEHOLDER.matcher(String.valueOf(source.getProperty(property)).strip());
          if (m.matches()) {
            return Optional.of(m.group(1));
          }
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isSecret(String variable) {
    String upper = variable.toUpperCase(Locale.ROOT);
    return upper.contains("SECRET")
        || upper.contains("KEY")
        || upper.contains("TOKEN")
        || upper.contains("PASSWORD");
  }

  /** What the bound type accepts, in words. */
  private static String expectation(String type) {
    return switch (type) {
      case "int", "java.lang.Integer", "long", "java.lang.Long" -> "a whole number";
      case "double", "java.lang.Double" -> "a number";
      case "boolean", "java.lang.Boolean" -> "true or false";
      case "java.time.Duration" -> "a duration such as 500ms, 5s or 2m";
      case "java.net.URI" -> "a URL such as https://example.com";
      case "java.nio.file.Path" -> "a directory path";
      case "" -> "a value of the right type (see .env.example)";
      default -> "a value of type " + type.substring(type.lastIndexOf('.') + 1);
    };
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
