package com.volcstudio.account;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import reactor.core.publisher.Mono;

/** The account a request acts for, as its authentication names it. */
public record Caller(String userId, String username, Role role) {

  public boolean admin() {
    return role == Role.ADMIN;
  }

  /** The caller of the current request; empty when nobody is logged in (or login is off). */
  public static Mono<Caller> current() {
    return ReactiveSecurityContextHolder.getContext()
        .mapNotNull(context -> context.getAuthentication())
        .filter(Authentication::isAuthenticated)
        .mapNotNull(Caller::of);
  }

  static @Nullable Caller of(Authentication authentication) {
    return authentication.getPrincipal() instanceof AccountDetails details
        ? details.caller()
        : null;
  }
}
