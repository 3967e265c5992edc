package com.volcstudio.emulator;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Typed reads of a visual request's JSON fields. A field of the wrong JSON type is the service's
 * 50204 (ECParseArgs); a missing required one 50201 (docs/volcengine/PROTOCOL.md §5.2).
 */
record RequestFields(JsonNode node) {

  boolean has(String name) {
    return node.has(name) && !node.get(name).isNull();
  }

  Optional<Long> integer(String name) {
    if (!has(name)) {
      return Optional.empty();
    }
    JsonNode value = node.get(name);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new RejectedRequest(ServiceError.parseArgs(name + " must be an integer"));
    }
    return Optional.of(value.asLong());
  }

  Optional<Double> number(String name) {
    if (!has(name)) {
      return Optional.empty();
    }
    JsonNode value = node.get(name);
    if (!value.isNumber()) {
      throw new RejectedRequest(ServiceError.parseArgs(name + " must be a number"));
    }
    return Optional.of(value.asDouble());
  }

  Optional<Boolean> bool(String name) {
    if (!has(name)) {
      return Optional.empty();
    }
    JsonNode value = node.get(name);
    if (!value.isBoolean()) {
      throw new RejectedRequest(ServiceError.parseArgs(name + " must be a boolean"));
    }
    return Optional.of(value.asBoolean());
  }

  Optional<String> string(String name) {
    if (!has(name)) {
      return Optional.empty();
    }
    JsonNode value = node.get(name);
    if (!value.isString()) {
      throw new RejectedRequest(ServiceError.parseArgs(name + " must be a string"));
    }
    return Optional.of(value.asString());
  }

  Optional<JsonNode> object(String name) {
    if (!has(name)) {
      return Optional.empty();
    }
    JsonNode value = node.get(name);
    if (!value.isObject()) {
      throw new RejectedRequest(ServiceError.parseArgs(name + " must be an object"));
    }
    return Optional.of(value);
  }

  Optional<JsonNode> array(String name) {
    if (!has(name)) {
      return Optional.empty();
    }
    JsonNode value = node.get(name);
    if (!value.isArray()) {
      throw new RejectedRequest(ServiceError.parseArgs(name + " must be an array"));
    }
    return Optional.of(value);
  }

  String requiredString(String name) {
    String value = string(name).orElse("");
    if (value.isBlank()) {
      throw new RejectedRequest(ServiceError.missingArgs(name));
    }
    return value;
  }
}
