package com.volcstudio.emulator;

import java.util.List;

/**
 * One request field of a req_key: its JSON type, range or fixed value, and whether it is required
 * (docs/volcengine/PROTOCOL.md §3.3, "Other parameters"). Fields no rule names are ignored, as the
 * docs never say unknown ones are refused.
 */
record ParamRule(
    String name, Kind kind, double min, double max, List<String> allowed, boolean required) {

  enum Kind {
    INTEGER,
    NUMBER,
    BOOLEAN,
    STRING,
    OBJECT
  }

  static ParamRule integer(String name, double min, double max) {
    return new ParamRule(name, Kind.INTEGER, min, max, List.of(), false);
  }

  static ParamRule number(String name, double min, double max) {
    return new ParamRule(name, Kind.NUMBER, min, max, List.of(), false);
  }

  /** A number whose range no source gives: only its type is checked. */
  static ParamRule number(String name) {
    return number(name, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
  }

  static ParamRule integer(String name) {
    return integer(name, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
  }

  static ParamRule bool(String name) {
    return new ParamRule(name, Kind.BOOLEAN, 0, 0, List.of(), false);
  }

  static ParamRule string(String name) {
    return new ParamRule(name, Kind.STRING, 0, 0, List.of(), false);
  }

  static ParamRule object(String name) {
    return new ParamRule(name, Kind.OBJECT, 0, 0, List.of(), false);
  }

  /** A string that must be one of {@code allowed}, such as {@code model_version}. */
  static ParamRule oneOf(String name, boolean required, String... allowed) {
    return new ParamRule(name, Kind.STRING, 0, 0, List.of(allowed), required);
  }

  void check(RequestFields fields) {
    if (!fields.has(name)) {
      if (required) {
        throw new RejectedRequest(ServiceError.missingArgs(name));
      }
      return;
    }
    switch (kind) {
      case INTEGER -> inRange(fields.integer(name).orElseThrow());
      case NUMBER -> inRange(fields.number(name).orElseThrow());
      case BOOLEAN -> fields.bool(name);
      case OBJECT -> fields.object(name);
      case STRING -> {
        String value = fields.string(name).orElseThrow();
        if (!allowed.isEmpty() && !allowed.contains(value)) {
          throw new RejectedRequest(ServiceError.invalidArgs(name + " must be one of " + allowed));
        }
      }
    }
  }

  private void inRange(double value) {
    if (value < min || value > max) {
      throw new RejectedRequest(
          ServiceError.invalidArgs(
              name + " must be within [" + format(min) + ", " + format(max) + "]"));
    }
  }

  private static String format(double bound) {
    return bound == Math.rint(bound) && !Double.isInfinite(bound)
        ? String.valueOf((long) bound)
        : String.valueOf(bound);
  }
}
