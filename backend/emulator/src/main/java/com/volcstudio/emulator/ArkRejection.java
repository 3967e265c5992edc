package com.volcstudio.emulator;

/**
 * An Ark request refused while being read; carries the error to answer (the Ark twin of {@link
 * RejectedRequest}).
 */
final class ArkRejection extends RuntimeException {

  private final transient ArkError error;

  ArkRejection(ArkError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  ArkError error() {
    return error;
  }
}
