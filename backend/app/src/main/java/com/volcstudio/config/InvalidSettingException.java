package com.volcstudio.config;

/**
 * A setting the app cannot start with. {@link InvalidSettingFailureAnalyzer} turns it into one line
 * naming the variable instead of a stack trace. The message never quotes a secret's value.
 */
public class InvalidSettingException extends IllegalStateException {

  private final String variable;
  private final String reason;

  public InvalidSettingException(String variable, String reason) {
    this(variable, reason, null);
  }

  public InvalidSettingException(String variable, String reason, Throwable cause) {
    super(variable + " " + reason, cause);
    this.variable = variable;
    this.reason = reason;
  }

  /** The environment variable to fix, e.g. {@code DATA_DIR}. */
  public String variable() {
    return variable;
  }

  /** What is wrong with it, completing "VARIABLE …". */
  public String reason() {
    return reason;
  }
}
