package com.volcstudio.account;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import reactor.core.publisher.Mono;

/**
 * The account a request acts for, as its authentication names it.
 *
 * @param environment the account of APP_AUTH_USERNAME
 *     <p>Serializable: a login's session may be kept in Redis for every replica (issue 18).
 */
public record Caller(String userId, String username, Role role, boolean environment)
    implements Serializable {

  /**
   * Who owns what a request stores: "" for the account of APP_AUTH_USERNAME and for everybody when
   * login is off, so that what a single-user studio stored before accounts existed stays its first
   * admin's, and turning login on or off changes no one's data; the account id for every other
   * account.
   */
  public static final String FIRST_OWNER = "";

  public boolean admin() {
    return role == Role.ADMIN;
  }

  public String owner() {
    return environment ? FIRST_OWNER : userId;
  }

  /** The owner of what the current request stores (login off: {@link #FIRST_OWNER}). */
  public static Mono<String> currentOwner() {
    return current().map(Caller::owner).defaultIfEmpty(FIRST_OWNER);
  }

  /** The caller of the current request; empty when nobody is logged in (or login is off). */
  public static Mono<Caller> current() {
    return ReactiveSecurityContextHolder.getContext()
        .mapNotNull(context -> context.getAuthentication())
        .filter(Authentication::isAuthenticated)
        .mapNotNull(Caller::of);
  }

  static @Nullable Caller of(Authentication authentication) {
    return authentication.getPrincipal() instanceof CallerPrincipal principal
        ? principal.caller()
        : null;
  }
}
