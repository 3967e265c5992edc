package com.volcstudio.volcengine;

/**
 * The account's limits as they are right now. Read at every call rather than once at start-up, so a
 * limit changed in the settings applies to the next call without a restart.
 */
public interface UpstreamLimits {

  /** Generation calls per second to the visual API ({@code VOLC_QPS}). */
  double visualQps();

  /** Visual generation calls in flight at once ({@code VOLC_CONCURRENCY}). */
  int visualConcurrency();

  /** Ark image requests per minute ({@code ARK_RPM}). */
  int arkRpm();

  /** Ark image requests in flight at once ({@code ARK_CONCURRENCY}). */
  int arkConcurrency();

  /** The limits given by the environment, never changing. */
  static UpstreamLimits of(VolcProperties volc, ArkProperties ark) {
    return new UpstreamLimits() {
      @Override
      public double visualQps() {
        return volc.qps();
      }

      @Override
      public int visualConcurrency() {
        return volc.concurrency();
      }

      @Override
      public int arkRpm() {
        return ark.rpm();
      }

      @Override
      public int arkConcurrency() {
        return ark.concurrency();
      }
    };
  }
}
