package com.volcstudio.emulator;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two response shapes of the visual API: the service envelope and the gateway envelope
 * (docs/volcengine/PROTOCOL.md §4).
 */
final class Envelopes {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final DateTimeFormatter REQUEST_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  private Envelopes() {}

  static Reply success(@Nullable Object data, long elapsedMillis) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", 10000);
    body.put("message", "Success");
    body.put("request_id", requestId());
    body.put("status", 10000);
    body.put("time_elapsed", elapsedMillis + "ms");
    body.put("data", data);
    return Reply.json(200, "10000", JSON.writeValueAsString(body));
  }

  static Reply service(ServiceError error) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", error.code());
    body.put("message", error.message());
    body.put("request_id", requestId());
    body.put("status", error.code());
    body.put("time_elapsed", "1ms");
    body.put("data", null);
    return Reply.json(
        error.httpStatus(), String.valueOf(error.code()), JSON.writeValueAsString(body));
  }

  static Reply gateway(GatewayError error, String action, String version) {
    Map<String, Object> err = new LinkedHashMap<>();
    if (error.codeN() != 0) {
      err.put("CodeN", error.codeN());
    }
    err.put("Code", error.code());
    err.put("Message", error.message());
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("RequestId", requestId());
    meta.put("Action", action);
    meta.put("Version", version);
    meta.put("Service", "cv");
    meta.put("Region", "cn-north-1");
    meta.put("Error", err);
    return Reply.json(
        error.httpStatus(),
        error.code(),
        JSON.writeValueAsString(Map.of("ResponseMetadata", meta)));
  }

  /** 14-digit timestamp + 20 hex digits, the shape of the examples in the docs. */
  static String requestId() {
    byte[] random = new byte[10];
    ThreadLocalRandom.current().nextBytes(random);
    return LocalDateTime.now(ZoneOffset.UTC).format(REQUEST_ID_TIME)
        + HexFormat.of().withUpperCase().formatHex(random);
  }
}
