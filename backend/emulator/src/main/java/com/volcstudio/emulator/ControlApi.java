package com.volcstudio.emulator;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The emulator's own control API, under {@code /_emulator/}, a path VolcEngine never uses:
 *
 * <ul>
 *   <li>{@code POST /_emulator/faults} {@code
 *       {"code":50500,"count":3,"action":"CVSync2AsyncSubmitTask"}} or {@code
 *       {"code":50429,"probability":0.2}}: inject faults ({@link FaultRule}); 201 with all rules;
 *       {@code {"code":"timeout","probability":0.1,"hold_ms":3000}} and {@code
 *       {"code":"malformed","probability":0.05}} simulate a response that never comes and one that
 *       cannot be parsed; {@code "for_ms"} ends a rule after that long ({@code
 *       {"code":50429,"for_ms":300}}: a moment in which every call is over the quota)
 *   <li>{@code GET /_emulator/faults}: the rules in force; {@code DELETE /_emulator/faults}: clear
 *       them (204)
 *   <li>{@code GET /_emulator/stats}: {@link EmulatorStats}; {@code DELETE /_emulator/stats}: reset
 *       (204)
 * </ul>
 *
 * It is unauthenticated: the emulator binds loopback and holds nothing secret.
 */
final class ControlApi {

  static final String PREFIX = "/_emulator/";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final FaultPlan faults;
  private final EmulatorStats stats;

  ControlApi(FaultPlan faults, EmulatorStats stats) {
    this.faults = faults;
    this.stats = stats;
  }

  Reply handle(String method, String path, byte[] body) {
    return switch (method + " " + path) {
      case "POST /_emulator/faults" -> addFault(body);
      case "GET /_emulator/faults" -> listFaults();
      case "DELETE /_emulator/faults" -> {
        faults.clear();
        yield Reply.empty(204);
      }
      case "GET /_emulator/stats" ->
          Reply.json(200, "200", JSON.writeValueAsString(stats.snapshot()));
      case "DELETE /_emulator/stats" -> {
        stats.reset();
        yield Reply.empty(204);
      }
      default -> problem(404, "no such control endpoint: " + method + " " + path);
    };
  }

  private Reply addFault(byte[] body) {
    JsonNode rule;
    try {
      rule = JSON.readTree(body);
    } catch (JacksonException e) {
      return problem(400, "body is not JSON");
    }
    if (rule == null
        || !rule.isObject()
        || !rule.has("code")
        || !(rule.get("code").isNumber() || rule.get("code").isString())) {
      return problem(
          400,
          "expected {\"code\": 50500 | \"FlowLimitExceeded\" | \"drop\" | \"timeout\" | \"malformed\", \"count\"?, \"probability\"?, \"action\"?, \"hold_ms\"?, \"for_ms\"?}");
    }
    String code =
        rule.get("code").isNumber()
            ? String.valueOf(rule.get("code").asInt())
            : rule.get("code").asString();
    int count = rule.path("count").asInt(-1);
    double probability = rule.path("probability").asDouble(1.0);
    if (probability <= 0 || probability > 1 || count == 0) {
      return problem(400, "probability must be in (0, 1] and count positive");
    }
    String action = rule.hasNonNull("action") ? rule.get("action").asString() : null;
    long holdMs = rule.path("hold_ms").asLong(FaultRule.DEFAULT_HOLD.toMillis());
    if (holdMs < 0) {
      return problem(400, "hold_ms must not be negative");
    }
    long forMs = rule.path("for_ms").asLong(-1);
    if (rule.has("for_ms") && forMs <= 0) {
      return problem(400, "for_ms must be positive");
    }
    faults.add(
        new FaultRule(
            code,
            action,
            count,
            probability,
            java.time.Duration.ofMillis(holdMs),
            forMs > 0 ? faults.now().plusMillis(forMs) : null));
    Reply list = listFaults();
    return Reply.json(201, "201", new String(list.body(), java.nio.charset.StandardCharsets.UTF_8));
  }

  private Reply listFaults() {
    return Reply.json(
        200,
        "200",
        JSON.writeValueAsString(
            Map.of("faults", faults.rules().stream().map(FaultRule::toJson).toList())));
  }

  private static Reply problem(int status, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("detail", detail);
    return Reply.json(status, String.valueOf(status), JSON.writeValueAsString(body));
  }
}
