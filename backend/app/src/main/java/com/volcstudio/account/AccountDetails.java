package com.volcstudio.account;

import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * An account as Spring Security sees it: ROLE_USER for anybody logged in (what the health details
 * ask for), and ROLE_ADMIN or ROLE_MEMBER.
 */
public final class AccountDetails implements UserDetails, CredentialsContainer, CallerPrincipal {

  private final Caller caller;
  private @Nullable String password;
  private final boolean enabled;

  AccountDetails(Caller caller, @Nullable String password, boolean enabled) {
    this.caller = caller;
    this.password = password;
    this.enabled = enabled;
  }

  @Override
  public Caller caller() {
    return caller;
  }

  /** ROLE_USER and the role's authority, for a principal of another kind (single sign-on). */
  public static List<GrantedAuthority> authoritiesOf(Caller caller) {
    return authorities(caller.role());
  }

  static List<GrantedAuthority> authorities(Role role) {
    return List.of(
        new SimpleGrantedAuthority("ROLE_USER"), new SimpleGrantedAuthority("ROLE_" + role.name()));
  }

  @Override
  public Collection<? extends GrantedAuthority> getAuthorities() {
    return authorities(caller.role());
  }

  @Override
  public @Nullable String getPassword() {
    return password;
  }

  @Override
  public String getUsername() {
    return caller.username();
  }

  @Override
  public boolean isEnabled() {
    return enabled;
  }

  @Override
  public void eraseCredentials() {
    password = null;
  }

  @Override
  public String toString() {
    return "AccountDetails[" + caller + ", enabled=" + enabled + "]";
  }
}
