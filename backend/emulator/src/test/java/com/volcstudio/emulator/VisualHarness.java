package com.volcstudio.emulator;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The visual service without the gateway in front, for table-driven checks of every req_key. */
final class VisualHarness {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final VisualService service;

  VisualHarness() {
    EmulatorSettings settings = EmulatorSettings.loopback(0, "AK", "SK", Duration.ZERO);
    Clock clock = Clock.systemUTC();
    service =
        new VisualService(
            settings,
            clock,
            new ImageRenderer(),
            new QuotaGate(settings.quotas(), clock),
            new ResultStore(clock),
            new EmulatorStats(),
            new LatencyModel(settings));
  }

  /** The answer's status and JSON body. */
  record Answer(int status, JsonNode body) {
    int code() {
      return body.path("code").asInt();
    }
  }

  Answer call(String action, Map<String, Object> body) {
    Reply reply =
        service
            .dispatch(action, JSON.writeValueAsBytes(body), URI.create("http://127.0.0.1:1"))
            .block();
    return new Answer(reply.status(), JSON.readTree(reply.body()));
  }
}
