package com.volcstudio.emulator;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * An Ark error: HTTP status, {@code type}, {@code code} and the parameter at fault, answered as
 * {@code {"error":{"code","message","param","type"}}} (docs/volcengine/PROTOCOL.md §6.5).
 */
record ArkError(int httpStatus, String type, String code, String message, String param) {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  static ArkError invalid(String param, String why) {
    return new ArkError(
        400,
        "BadRequest",
        "InvalidParameter",
        "The parameter `" + param + "` specified in the request is not valid: " + why,
        param);
  }

  static ArkError missing(String param) {
    return new ArkError(
        400,
        "BadRequest",
        "MissingParameter",
        "The request failed because it is missing one or multiple required parameters: " + param,
        param);
  }

  static ArkError unauthenticated() {
    return new ArkError(
        401,
        "Unauthorized",
        "AuthenticationError",
        "The API key in the request is missing or invalid.",
        "");
  }

  static ArkError modelNotFound(String model) {
    return new ArkError(
        404,
        "NotFound",
        "InvalidEndpointOrModel.NotFound",
        "The model or endpoint " + model + " does not exist or you do not have access to it.",
        "");
  }

  static ArkError rateLimited() {
    return new ArkError(
        429,
        "TooManyRequests",
        "RateLimitExceeded.EndpointRPMExceeded",
        "The request has exceeded the rate limit of the endpoint. Please retry later.",
        "");
  }

  static ArkError internal() {
    return new ArkError(
        500,
        "InternalServerError",
        "InternalServiceError",
        "The service encountered an unexpected internal error.",
        "");
  }

  /**
   * What a visual fault code means on Ark, so one marker or control-API code serves both (§6.5).
   */
  static ArkError fromServiceCode(int code) {
    return switch (code) {
      case 50411, 50518 ->
          bad(
              "InputImageSensitiveContentDetected",
              "The request failed because the input image may contain sensitive information.");
      case 50412, 50413 ->
          bad(
              "InputTextSensitiveContentDetected",
              "The request failed because the input text may contain sensitive information.");
      case 50511, 50519 ->
          bad(
              "OutputImageSensitiveContentDetected",
              "The request failed because the output image may contain sensitive information.");
      case 50520, 50521, 50522 ->
          bad("ContentSecurityDetectionError", "The content security detection service failed.");
      case 50200, 50201, 50204, 50205, 50206, 50207, 50215 ->
          invalid("prompt", "injected fault " + code);
      case 50429 -> rateLimited();
      case 50430 ->
          new ArkError(
              429,
              "TooManyRequests",
              "ServerOverloaded",
              "The service is overloaded. Please retry later.",
              "");
      default -> internal();
    };
  }

  /** An Ark code given by name to the control API; its status and type from §6.5. */
  static ArkError fromCode(String code) {
    if (code.chars().allMatch(Character::isDigit)) {
      return fromServiceCode(Integer.parseInt(code));
    }
    if (code.startsWith("RateLimitExceeded")
        || code.equals("QuotaExceeded")
        || code.equals("ServerOverloaded")
        || code.equals("SetLimitExceeded")) {
      return new ArkError(429, "TooManyRequests", code, "Injected " + code + ".", "");
    }
    if (code.equals("AuthenticationError")) {
      return unauthenticated();
    }
    if (code.startsWith("InvalidEndpointOrModel") || code.equals("ModelNotOpen")) {
      return new ArkError(404, "NotFound", code, "Injected " + code + ".", "");
    }
    if (code.startsWith("AccessDenied")
        || code.startsWith("OperationDenied")
        || code.equals("AccountOverdueError")) {
      return new ArkError(403, "Forbidden", code, "Injected " + code + ".", "");
    }
    if (code.equals("InternalServiceError")) {
      return internal();
    }
    return new ArkError(400, "BadRequest", code, "Injected " + code + ".", "");
  }

  boolean stopsGroup() {
    return httpStatus >= 500;
  }

  Map<String, Object> inner(String requestId) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message + " Request id: " + requestId);
    error.put("param", param);
    error.put("type", type);
    return error;
  }

  Reply reply() {
    return Reply.json(
        httpStatus, code, JSON.writeValueAsString(Map.of("error", inner(Envelopes.requestId()))));
  }

  private static ArkError bad(String code, String message) {
    return new ArkError(400, "BadRequest", code, message, "");
  }
}
