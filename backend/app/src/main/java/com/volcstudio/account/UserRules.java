package com.volcstudio.account;

import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.InvalidRequestException;
import com.volcstudio.web.Texts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** What an account's fields may hold; every violation is named by its field. */
final class UserRules {

  static final int MAX_USERNAME = 64;
  static final int MIN_PASSWORD = 8;

  /** BCrypt reads no further than 72 bytes; a longer password would be cut without a word. */
  static final int MAX_PASSWORD_BYTES = 72;

  static final int MAX_QUOTA = 1_000_000;
  static final int MAX_MODELS = 100;

  /** Letters of any script, digits, and . _ @ - (an e-mail address fits). */
  private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{N}._@-]+");

  /** The checked fields of a request; null where the request left a field out. */
  record Checked(
      @Nullable String username,
      @Nullable String password,
      @Nullable Role role,
      @Nullable Integer monthlyImageQuota,
      @Nullable List<String> allowedModels,
      @Nullable Boolean disabled) {}

  private final ModelCatalog catalog;

  UserRules(ModelCatalog catalog) {
    this.catalog = catalog;
  }

  Checked forCreate(UserRequest request) {
    List<FieldViolation> violations = new ArrayList<>();
    if (request.username() == null) {
      violations.add(new FieldViolation("username", "is required"));
    }
    if (request.password() == null) {
      violations.add(new FieldViolation("password", "is required"));
    }
    return check(request, violations);
  }

  Checked forUpdate(UserRequest request) {
    return check(request, new ArrayList<>());
  }

  private Checked check(UserRequest request, List<FieldViolation> violations) {
    String username = request.username() == null ? null : username(request.username(), violations);
    String password = request.password();
    if (password != null) {
      int bytes = password.getBytes(StandardCharsets.UTF_8).length;
      if (password.codePointCount(0, password.length()) < MIN_PASSWORD
          || bytes > MAX_PASSWORD_BYTES) {
        violations.add(
            new FieldViolation(
                "password",
                "must be at least "
                    + MIN_PASSWORD
                    + " characters and at most "
                    + MAX_PASSWORD_BYTES
                    + " bytes (UTF-8)"));
      } else if (!Texts.isWellFormed(password)) {
        violations.add(new FieldViolation("password", Texts.MALFORMED));
      }
    }
    Role role = null;
    if (request.role() != null) {
      Optional<Role> parsed = Role.parse(request.role());
      if (parsed.isEmpty()) {
        violations.add(new FieldViolation("role", "must be 'admin' or 'member'"));
      } else {
        role = parsed.get();
      }
    }
    Integer quota = request.monthlyImageQuota();
    if (quota != null && (quota < 0 || quota > MAX_QUOTA)) {
      violations.add(
          new FieldViolation(
              "monthly_image_quota", "must be 0 (no limit of its own) to " + MAX_QUOTA));
    }
    List<String> models = request.allowedModels() == null ? null : models(request, violations);
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    return new Checked(username, password, role, quota, models, request.disabled());
  }

  /** Whether {@code name} (stripped) is a user name an account may have. */
  static boolean wellFormedUsername(String name) {
    return !name.isEmpty() && name.length() <= MAX_USERNAME && USERNAME.matcher(name).matches();
  }

  private static @Nullable String username(String given, List<FieldViolation> violations) {
    String name = given.strip();
    if (name.isEmpty() || name.length() > MAX_USERNAME) {
      violations.add(new FieldViolation("username", "must be 1–" + MAX_USERNAME + " characters"));
      return null;
    }
    if (!USERNAME.matcher(name).matches()) {
      violations.add(
          new FieldViolation("username", "may hold letters, digits and . _ @ - only (no spaces)"));
      return null;
    }
    return name;
  }

  private List<String> models(UserRequest request, List<FieldViolation> violations) {
    List<String> given = request.allowedModels();
    if (given.size() > MAX_MODELS) {
      violations.add(new FieldViolation("allowed_models", "may list at most " + MAX_MODELS));
      return List.of();
    }
    var models = new LinkedHashSet<String>();
    for (int i = 0; i < given.size(); i++) {
      String id = given.get(i);
      if (id == null || catalog.find(id).isEmpty()) {
        violations.add(
            new FieldViolation("allowed_models[" + i + "]", "unknown model '" + id + "'"));
      } else {
        models.add(id);
      }
    }
    return List.copyOf(models);
  }
}
