package com.volcstudio.emulator;

import java.util.Map;
import java.util.Optional;

/**
 * A business error of the visual service, answered in the service envelope with {@code data: null}
 * and the HTTP status the docs list for the code (docs/volcengine/PROTOCOL.md §5.1, §5.2).
 */
record ServiceError(int httpStatus, int code, String message) {

  /**
   * Codes a client can ask for by prompt marker or the control API, with status and message (§5.1,
   * §5.2).
   */
  private static final Map<Integer, ServiceError> KNOWN =
      Map.ofEntries(
          known(400, 50200, "Request Invalid Args"),
          known(400, 50201, "Request Missing Args"),
          known(400, 50204, "Request Parse Args Error"),
          known(400, 50205, "Image Size Limited"),
          known(400, 50206, "Image Empty"),
          known(400, 50207, "Image Decode Error"),
          known(400, 50215, "Input invalid for this service."),
          known(400, 50411, "Pre Img Risk Not Pass"),
          known(400, 50412, "Text Risk Not Pass"),
          known(400, 50413, "Post Text Risk Not Pass"),
          known(400, 50511, "Post Img Risk Not Pass"),
          known(400, 50512, "Post Text Risk Not Pass"),
          known(400, 50518, "Pre Img Risk Not Pass: Copyright"),
          known(400, 50519, "Post Img Risk Not Pass: Copyright"),
          known(400, 50520, "Risk Internal Error"),
          known(400, 50521, "Antidirt Internal Error"),
          known(400, 50522, "Image Copyright Internal Error"),
          known(429, 50429, "Request Has Reached API Limit, Please Try Later"),
          known(429, 50430, "Request Has Reached API Concurrent Limit, Please Try Later"),
          known(500, 50500, "Internal Error"),
          known(500, 50501, "Internal RPC Error"),
          // i2i_inpainting's "AI鬼脸": the result failed the service's own check; the docs advise
          // showing a fallback (PROTOCOL-2026-12 §1a). Its HTTP status is not documented.
          known(400, 201304, "Inpainting Result Rejected"));

  static Optional<ServiceError> known(int code) {
    return Optional.ofNullable(KNOWN.get(code));
  }

  static ServiceError invalidArgs(String why) {
    return new ServiceError(400, 50200, "Request Invalid Args: " + why);
  }

  static ServiceError missingArgs(String field) {
    return new ServiceError(400, 50201, "Request Missing Args: " + field);
  }

  static ServiceError parseArgs(String why) {
    return new ServiceError(400, 50204, "Request Parse Args Error: " + why);
  }

  static ServiceError imageSize(String why) {
    return new ServiceError(400, 50205, "Image Size Limited: " + why);
  }

  static ServiceError imageEmpty(String why) {
    return new ServiceError(400, 50206, "Image Empty: " + why);
  }

  static ServiceError imageDecode(String why) {
    return new ServiceError(400, 50207, "Image Decode Error: " + why);
  }

  /** 50215 ECRPCProcess: the algorithm refuses an input that passed parameter checks. */
  static ServiceError inputRejected(String why) {
    return new ServiceError(400, 50215, "Input invalid for this service. " + why);
  }

  static ServiceError qpsLimit() {
    return KNOWN.get(50429);
  }

  static ServiceError concurrencyLimit() {
    return KNOWN.get(50430);
  }

  /** A requested fault; an unknown code becomes 50500, as an unexplained failure would. */
  static ServiceError injected(int code) {
    return known(code).orElse(KNOWN.get(50500));
  }

  /**
   * Whether the service finds this before accepting an async task (so submit fails) rather than
   * while running it.
   */
  boolean answeredAtSubmit() {
    return code == 50429 || code == 50430 || (code >= 50200 && code <= 50207);
  }

  private static Map.Entry<Integer, ServiceError> known(int status, int code, String message) {
    return Map.entry(code, new ServiceError(status, code, message));
  }
}
