package com.volcstudio.volcengine;

/** VolcEngine refused or failed a call; {@link #error()} says which way and what to do. */
public final class VolcApiException extends RuntimeException {

  private final UpstreamError error;

  public VolcApiException(UpstreamError error) {
    super(error.code() + ": " + error.upstreamMessage());
    this.error = error;
  }

  public VolcApiException(UpstreamError error, Throwable cause) {
    super(error.code() + ": " + error.upstreamMessage(), cause);
    this.error = error;
  }

  public UpstreamError error() {
    return error;
  }
}
