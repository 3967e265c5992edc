package com.volcstudio.connection;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Demo: no keys configured, the built-in emulator answers. Live: real provider keys. */
public enum StudioMode {
  DEMO,
  LIVE;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
