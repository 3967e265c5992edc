package com.volcstudio.volcengine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How each kind of failure is tried again, and which ones leave the outcome unknown. */
class UpstreamErrorTests {

  @ParameterizedTest(name = "{0} (HTTP {1}) -> {2}, outcome unknown: {3}")
  @CsvSource({
    "50429, 429, UNBILLED, false",
    "50430, 429, UNBILLED, false",
    "50500, 500, UNBILLED, false",
    "ModelAccountIpmRateLimitExceeded, 429, UNBILLED, false",
    "SomethingNew, 503, UNBILLED, false",
    "UPSTREAM_UNREACHABLE, 0, UNBILLED, false",
    "UPSTREAM_TIMEOUT, 0, UNBILLED, true",
    "UPSTREAM_CLOSED, 0, UNBILLED, true",
    "UPSTREAM_MALFORMED, 200, UNBILLED, true",
    "UPSTREAM_MALFORMED, 502, UNBILLED, false",
    "50511, 400, BOUNDED, false",
    "OutputImageSensitiveContentDetected, 400, BOUNDED, false",
    "UPSTREAM_TASK_LOST, 0, BOUNDED, false",
    "50412, 400, FINAL, false",
    "SetLimitExceeded, 429, FINAL, false",
    "QuotaExceeded, 429, FINAL, false",
    "SomethingNew, 400, FINAL, false"
  })
  void eachFailureIsTriedAgainByWhatARetryMayCost(
      String code, int status, UpstreamError.Retry retry, boolean outcomeUnknown) {
    UpstreamError error = VolcErrorCodes.describe(code, "from the test", status);
    assertThat(error.retry()).isEqualTo(retry);
    assertThat(error.retryable()).isEqualTo(retry != UpstreamError.Retry.FINAL);
    assertThat(error.outcomeUnknown()).isEqualTo(outcomeUnknown);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"UPSTREAM_TIMEOUT, 0", "UPSTREAM_MALFORMED, 200"})
  void aLostAnswerCanBeRetriedUnderTheCountWithItsExplanationKept(String code, int status) {
    UpstreamError lost = VolcErrorCodes.describe(code, "from the test", status);
    UpstreamError counted = lost.withRetry(UpstreamError.Retry.BOUNDED);
    assertThat(counted.retry()).isEqualTo(UpstreamError.Retry.BOUNDED);
    assertThat(counted).usingRecursiveComparison().ignoringFields("retry").isEqualTo(lost);
  }
}
