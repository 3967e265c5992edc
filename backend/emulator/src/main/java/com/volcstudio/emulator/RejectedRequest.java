package com.volcstudio.emulator;

/**
 * Signals, while a request is being read and checked, that the service answers it with an error. It
 * travels as a {@code Mono.error} to the one place that turns it into the envelope; no stack trace,
 * since it is an answer, not a fault of the emulator.
 */
final class RejectedRequest extends RuntimeException {

  private final transient ServiceError error;

  RejectedRequest(ServiceError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  ServiceError error() {
    return error;
  }
}
