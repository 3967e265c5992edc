package com.volcstudio.emulator;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One fault the control API was asked to inject.
 *
 * @param code a visual service code ("50500"), a gateway code ("FlowLimitExceeded"), an Ark code
 *     ("InternalServiceError"), or {@value #DROP}: do the work, then close the connection unanswered
 * @param action the action it applies to (e.g. "CVSync2AsyncSubmitTask", "ArkImagesGenerations"); null = every action
 * @param remaining how many more requests it hits; negative = until cleared
 * @param probability chance that a matching request is hit, in (0, 1]
 */
record FaultRule(String code, @Nullable String action, int remaining, double probability) {

  static final String DROP = "drop";

  boolean matches(String requestAction) {
    return remaining != 0 && (action == null || action.equals(requestAction));
  }

  FaultRule used() {
    return remaining > 0 ? new FaultRule(code, action, remaining - 1, probability) : this;
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("code", code);
    json.put("action", action);
    json.put("count", remaining < 0 ? null : remaining);
    json.put("probability", probability);
    return json;
  }
}
