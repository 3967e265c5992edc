package com.volcstudio.security;

import java.time.Duration;
import org.springframework.security.core.AuthenticationException;

/** Too many failed logins from this address (or for this account): try again after a wait. */
final class LoginThrottledException extends AuthenticationException {

  private final Duration wait;

  LoginThrottledException(Duration wait) {
    super("Too many failed logins");
    this.wait = wait;
  }

  /** Whole seconds, at least 1, for Retry-After. */
  long retryAfterSeconds() {
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }

  String detail() {
    return "Too many failed logins from this address. Try again in " + retryAfterSeconds() + " s.";
  }
}
