package com.volcstudio.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * A malformed {@code .env} value stops the app with one line naming the variable
 * ({@code VOLC_QPS='abc' is not valid: expected a whole number}) instead of a stack trace. Spring
 * Boot's own analyzer for binding failures names the property ({@code volc.qps}) over several lines; a
 * user edits {@code VOLC_QPS}, so the variable is looked up from the {@code ${VOLC_QPS:2}} placeholder
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
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof InvalidSettingException invalid) {
        return analysis(invalid.variable() + " " + invalid.reason(), invalid);
      }
      if (cause instanceof BindException bind && bind.getProperty() != null) {
        String property = bind.getProperty().getName().toString();
        String variable = variableOf(property).orElse(property);
        Object value = bind.getProperty().getValue();
        String shown = isSecret(variable) ? "" : "='" + value + "'";
        return analysis(variable + shown + " is not valid: expected " + expectation(bind.getTarget().getType().toString()),
            bind);
      }
    }
    return null;
  }

  private static FailureAnalysis analysis(String line, Throwable cause) {
    return new FailureAnalysis(line, "Fix it in .env (or the environment) and start again; .env.example describes every setting.",
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
    return upper.contains("SECRET") || upper.contains("KEY") || upper.contains("TOKEN") || upper.contains("PASSWORD");
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
      default -> "a value of type " + type.substring(type.lastIndexOf('.') + 1);
    };
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
