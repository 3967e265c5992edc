package com.volcstudio.emulator;

/**
 * An error the OpenAPI gateway answers before the request reaches the service, in the {@code
 * ResponseMetadata.Error} envelope (docs/volcengine/PROTOCOL.md §4.2, codes §5.3). {@code codeN} is
 * 0 where no capture shows the numeric code; the envelope then leaves {@code CodeN} out rather than
 * invent one.
 */
record GatewayError(int httpStatus, String code, int codeN, String message) {

  static GatewayError signatureMismatch(String why) {
    return new GatewayError(
        401,
        "SignatureDoesNotMatch",
        0,
        "The request signature we calculated does not match the signature you provided. " + why);
  }

  static GatewayError invalidAccessKey(String accessKey) {
    return new GatewayError(
        401, "InvalidAccessKey", 100009, "The AccessKey " + accessKey + " does not exist.");
  }

  static GatewayError missingTimestamp() {
    return new GatewayError(
        400, "MissingRequestInfo", 100004, "The request is missing timestamp information.");
  }

  static GatewayError invalidAuthorization(String why) {
    return new GatewayError(
        400, "InvalidAuthorization", 100024, "Invalid 'Authorization' header: " + why);
  }

  static GatewayError unsigned() {
    return new GatewayError(400, "InvalidAuthorization", 100025, "The request is not signed.");
  }

  /** Gateway-level failures a test can inject through the control API (§5.3), by code. */
  static java.util.Optional<GatewayError> injectable(String code) {
    return java.util.Optional.ofNullable(
        switch (code) {
          case "FlowLimitExceeded" -> new GatewayError(429, code, 100018, "Flow limit exceeded.");
          case "InternalError" -> new GatewayError(500, code, 0, "Internal error.");
          case "InternalServiceError" -> new GatewayError(502, code, 0, "Internal service error.");
          case "ServiceUnavailableTemp" ->
              new GatewayError(503, code, 0, "Service unavailable temporarily.");
          case "InternalServiceTimeout" ->
              new GatewayError(504, code, 0, "Internal service timeout.");
          default -> null;
        });
  }

  static GatewayError unknownAction(String action, String version) {
    return new GatewayError(
        404,
        "InvalidActionOrVersion",
        0,
        "Could not find operation " + action + " for version " + version + ".");
  }
}
