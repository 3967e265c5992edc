package com.volcstudio.emulator;

/**
 * A business error of the visual service, answered in the service envelope with {@code data: null}
 * and the HTTP status the docs list for the code (PROTOCOL §5.1, §5.2).
 */
record ServiceError(int httpStatus, int code, String message) {

  static ServiceError invalidArgs(String why) {
    return new ServiceError(400, 50200, "Request Invalid Args: " + why);
  }

  static ServiceError missingArgs(String field) {
    return new ServiceError(400, 50201, "Request Missing Args: " + field);
  }

  static ServiceError parseArgs(String why) {
    return new ServiceError(400, 50204, "Request Parse Args Error: " + why);
  }

  /** Codes a client can ask for with a {@code __fault_NNNNN__} marker in the prompt (fault injection). */
  static ServiceError injected(int code) {
    return switch (code) {
      case 50411 -> new ServiceError(400, code, "Pre Img Risk Not Pass");
      case 50412 -> new ServiceError(400, code, "Text Risk Not Pass");
      case 50413 -> new ServiceError(400, code, "Post Text Risk Not Pass");
      case 50511 -> new ServiceError(400, code, "Post Img Risk Not Pass");
      case 50429 -> new ServiceError(429, code, "Request Has Reached API Limit, Please Try Later");
      case 50430 -> new ServiceError(429, code, "Request Has Reached API Concurrent Limit, Please Try Later");
      case 50501 -> new ServiceError(500, code, "Internal RPC Error");
      default -> new ServiceError(500, 50500, "Internal Error");
    };
  }
}
