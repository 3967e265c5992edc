package com.volcstudio.generation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a task is; progress is derived from the stage so it never claims more than is done. */
public enum TaskStage {
  QUEUED,
  SUBMITTING,
  GENERATING,
  SAVING,
  DONE;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static TaskStage fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
