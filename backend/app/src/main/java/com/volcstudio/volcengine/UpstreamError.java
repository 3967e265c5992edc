package com.volcstudio.volcengine;

/**
 * A failure answered by VolcEngine (or on the way to it), explained for people.
 *
 * @param code the upstream code: a business code such as {@code 50412}, a gateway code such as
 *     {@code SignatureDoesNotMatch}, or one of ours ({@code UPSTREAM_TIMEOUT}, {@code
 *     UPSTREAM_UNREACHABLE})
 * @param upstreamMessage what the service said, verbatim
 * @param httpStatus the HTTP status received, 0 when none was
 * @param retry whether and how long trying again is worth it (docs/volcengine/PROTOCOL.md §5)
 * @param messageZh explanation in Chinese
 * @param messageEn explanation in English
 */
public record UpstreamError(
    String code,
    String upstreamMessage,
    int httpStatus,
    Retry retry,
    String messageZh,
    String messageEn) {

  /**
   * How a failure is tried again. VolcEngine bills successful generations only, so what decides is
   * whether a retry can cost money.
   */
  public enum Retry {
    /**
     * Nothing was generated, so nothing was billed: a quota or concurrency answer, a 5xx, no
     * connection, a timeout, an unreadable body. Tried again until the task's deadline.
     */
    UNBILLED,
    /**
     * A retry may pass but may be paid for: the service generated an image its own moderation then
     * withheld (50511, 50519), an asynchronous job is gone and must be submitted anew, a submit's
     * outcome is unknown. Tried again at most {@code VOLC_MAX_RETRIES} times.
     */
    BOUNDED,
    /** The same request fails the same way: content audit, bad parameters, keys, quota used up. */
    FINAL
  }

  /** Whether trying again may succeed (shown with a failed task, which offers a retry). */
  public boolean retryable() {
    return retry != Retry.FINAL;
  }

  /** The same failure, tried again under another rule. */
  public UpstreamError withRetry(Retry other) {
    return new UpstreamError(code, upstreamMessage, httpStatus, other, messageZh, messageEn);
  }

  /**
   * The request reached the service, which may have acted on it, but its answer was lost: no answer
   * in time, the connection closed before the answer, or a success whose body could not be read.
   */
  public boolean outcomeUnknown() {
    return code.equals("UPSTREAM_TIMEOUT")
        || code.equals("UPSTREAM_CLOSED")
        || (code.equals("UPSTREAM_MALFORMED") && httpStatus / 100 == 2);
  }
}
