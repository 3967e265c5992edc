package com.volcstudio.security;

import com.volcstudio.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import reactor.core.publisher.Mono;

/**
 * Every password check goes through here, Basic and login form alike: a throttled address is
 * refused before the password is even looked at (which also spares the BCrypt work), and every
 * failure is counted and logged with the user name and address, never the password. The client's
 * address comes from the Reactor context that {@link ForwardedHeadersFilter} fills.
 */
final class ThrottledAuthenticationManager implements ReactiveAuthenticationManager {

  private static final Logger log = LoggerFactory.getLogger(ThrottledAuthenticationManager.class);
  private static final ClientAddress UNKNOWN = new ClientAddress("unknown", false);

  private final ReactiveAuthenticationManager delegate;
  private final LoginThrottle throttle;
  private final AuditLog audit;

  ThrottledAuthenticationManager(
      ReactiveAuthenticationManager delegate, LoginThrottle throttle, AuditLog audit) {
    this.delegate = delegate;
    this.throttle = throttle;
    this.audit = audit;
  }

  @Override
  public Mono<Authentication> authenticate(Authentication attempt) {
    return Mono.deferContextual(
        context -> {
          String address = context.getOrDefault(ClientAddress.class, UNKNOWN).value();
          String username = attempt.getName() == null ? "" : attempt.getName();
          var wait = throttle.waitBefore(address, username);
          if (wait.isPresent()) {
            log.warn(
                "login refused without checking: user '{}' from {} must wait {} s",
                Printable.of(username),
                address,
                wait.get().toSeconds());
            return audit
                .recordAs(username, "login.failed", username, "refused: too many failures, wait")
                .then(Mono.error(new LoginThrottledException(wait.get())));
          }
          return delegate
              .authenticate(attempt)
              .doOnNext(success -> throttle.succeeded(address, username))
              .switchIfEmpty(
                  Mono.defer(() -> failed(address, username, "no such user"))
                      .then(Mono.<Authentication>empty()))
              .onErrorResume(
                  AuthenticationException.class,
                  e ->
                      failed(
                              address,
                              username,
                              e instanceof DisabledException
                                  ? "account disabled"
                                  : "wrong user name or password")
                          .then(Mono.error(e)));
        });
  }

  /** Counts the failure for the throttle, logs it and records it in the audit log. */
  private Mono<Void> failed(String address, String username, String why) {
    int failures = throttle.failed(address, username);
    log.warn(
        "failed login for user '{}' from {} ({}; {} failure(s) from this address)",
        Printable.of(username),
        address,
        why,
        failures);
    return audit.recordAs(username, "login.failed", username, why);
  }
}
