package com.volcstudio.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One fault the control API was asked to inject.
 *
 * @param code a visual service code ("50500"), a gateway code ("FlowLimitExceeded"), an Ark code
 *     ("InternalServiceError"), {@value #DROP}: do the work, then close the connection unanswered,
 *     {@value #TIMEOUT}: answer nothing for {@code hold}, then a gateway timeout (504), the work
 *     not done, or {@value #MALFORMED}: answer 200 with a body that is not JSON (cut short, or a
 *     proxy's HTML page), the work not done, or {@value #CUT}: a streamed image set is cut after
 *     its first image (a call that is not streamed is dropped as {@value #DROP})
 * @param action the action it applies to (e.g. "CVSync2AsyncSubmitTask", "ArkImagesGenerations");
 *     null = every action
 * @param remaining how many more requests it hits; negative = until cleared
 * @param probability chance that a matching request is hit, in (0, 1]
 * @param hold how long a {@value #TIMEOUT} fault keeps the client waiting; longer than its read
 *     timeout to be one
 * @param until when the rule ends by itself (a burst of quota answers lasts a moment, whoever calls
 *     in it); null = never
 */
record FaultRule(
    String code,
    @Nullable String action,
    int remaining,
    double probability,
    Duration hold,
    @Nullable Instant until) {

  static final String DROP = "drop";
  static final String TIMEOUT = "timeout";
  static final String MALFORMED = "malformed";
  static final String CUT = "cut_stream";

  /** Longer than the official SDK's 60 s read timeout. */
  static final Duration DEFAULT_HOLD = Duration.ofSeconds(65);

  boolean matches(String requestAction) {
    return remaining != 0 && (action == null || action.equals(requestAction));
  }

  FaultRule used() {
    return remaining > 0
        ? new FaultRule(code, action, remaining - 1, probability, hold, until)
        : this;
  }

  boolean over(Instant now) {
    return until != null && !now.isBefore(until);
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("code", code);
    json.put("action", action);
    json.put("count", remaining < 0 ? null : remaining);
    json.put("probability", probability);
    if (code.equals(TIMEOUT)) {
      json.put("hold_ms", hold.toMillis());
    }
    if (until != null) {
      json.put("until", until.toString());
    }
    return json;
  }
}
