package com.volcstudio.account;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** What an account may do: an admin manages people, keys and settings; a member makes images. */
public enum Role {
  ADMIN,
  MEMBER;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<Role> parse(String value) {
    for (Role role : values()) {
      if (role.id().equals(value)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
