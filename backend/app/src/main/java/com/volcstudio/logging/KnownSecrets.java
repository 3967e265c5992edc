package com.volcstudio.logging;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.env.PropertyResolver;

/**
 * The key material this process was configured with. {@link LogRedactor} replaces each value
 * wherever it appears: secrets by {@code ****}, the access key id by its masked form ({@code
 * AKLT****abcd}, what the UI shows). Values are only ever added: in a test JVM several application
 * contexts with different keys share one logging system, and masking a key of an earlier context
 * costs nothing.
 */
public final class KnownSecrets {

  /** Settings whose whole value is secret. */
  static final List<String> SECRET_PROPERTIES =
      List.of(
          "volc.secret-key",
          "volc.session-token",
          "ark.api-key",
          "settings.secret-key",
          "security.auth-password",
          "s3.secret-key");

  /** The access key id: not secret on its own, but only its masked form belongs in a log. */
  static final String ACCESS_KEY_PROPERTY = "volc.access-key";

  /**
   * Shorter values are ignored: real keys are 20–60 characters, and masking every occurrence of a
   * short word would garble the log while protecting nothing.
   */
  static final int MIN_LENGTH = 8;

  /**
   * Value to replacement, longest value first, so that a key containing another is masked whole.
   */
  private static volatile Map<String, String> replacements = Map.of();

  private KnownSecrets() {}

  /** Registers the values of the key settings that are set in {@code environment}. */
  public static void registerFrom(PropertyResolver environment) {
    for (String property : SECRET_PROPERTIES) {
      String value = environment.getProperty(property);
      if (value != null) {
        register(value, LogRedactor.MASK);
      }
    }
    String accessKey = environment.getProperty(ACCESS_KEY_PROPERTY);
    if (accessKey != null) {
      register(accessKey, maskAccessKey(accessKey.strip()));
    }
  }

  /**
   * A secret that arrived after start-up (keys entered in the UI): masked as {@code ****} from now
   * on.
   */
  public static void registerSecret(String value) {
    register(value, LogRedactor.MASK);
  }

  /** An access key id that arrived after start-up: shown in its masked form from now on. */
  public static void registerAccessKey(String accessKey) {
    register(accessKey, maskAccessKey(accessKey.strip()));
  }

  static synchronized void register(String value, String replacement) {
    String secret = value.strip();
    if (secret.length() < MIN_LENGTH || replacements.containsKey(secret)) {
      return;
    }
    Map<String, String> next = new LinkedHashMap<>(replacements);
    next.put(secret, replacement);
    // A structured (JSON) line carries a value with " or \ in escaped form; mask that spelling too.
    String jsonEscaped = secret.replace("\\", "\\\\").replace("\"", "\\\"");
    if (!jsonEscaped.equals(secret)) {
      next.put(jsonEscaped, replacement);
    }
    Map<String, String> sorted = new LinkedHashMap<>();
    next.entrySet().stream()
        .sorted(
            Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length())
                .reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    replacements = sorted;
  }

  static Map<String, String> replacements() {
    return replacements;
  }

  /** First four and last four characters, like the masked key the UI shows. */
  static String maskAccessKey(String accessKey) {
    if (accessKey.length() <= 8) {
      return LogRedactor.MASK;
    }
    return accessKey.substring(0, 4)
        + LogRedactor.MASK
        + accessKey.substring(accessKey.length() - 4);
  }
}
