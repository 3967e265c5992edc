package com.volcstudio.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The throttle's policy on a clock the test moves. */
class LoginThrottlePolicyTests {

  private Instant now = Instant.parse("2026-12-06T12:00:00Z");
  private final LoginThrottle throttle =
      new LoginThrottle(
          new Clock() {
            @Override
            public ZoneOffset getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }

            @Override
            public Instant instant() {
              return now;
            }
          });

  @Test
  void theWaitDoublesWithEachFailureAfterTheFreeOnesUpToFifteenMinutes() {
    assertThat(LoginThrottle.addressWait(4)).isZero();
    assertThat(LoginThrottle.addressWait(5)).isEqualTo(Duration.ofSeconds(30));
    assertThat(LoginThrottle.addressWait(6)).isEqualTo(Duration.ofSeconds(60));
    assertThat(LoginThrottle.addressWait(9)).isEqualTo(Duration.ofMinutes(8));
    assertThat(LoginThrottle.addressWait(10)).isEqualTo(Duration.ofMinutes(15));
    assertThat(LoginThrottle.addressWait(1000)).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void aThrottledAddressMayTryAgainOnceItsWaitIsOver() {
    for (int i = 0; i < 5; i++) {
      throttle.failed("203.0.113.9", "admin");
    }
    assertThat(throttle.waitBefore("203.0.113.9", "admin")).contains(Duration.ofSeconds(30));

    now = now.plusSeconds(31);

    assertThat(throttle.waitBefore("203.0.113.9", "admin")).isEmpty();
  }

  @Test
  void guessingSpreadOverManyAddressesClosesTheAccountButNotToTheUsersKnownAddress() {
    throttle.succeeded("192.0.2.1", "admin");
    for (int i = 0; i < LoginThrottle.ACCOUNT_FAILURES; i++) {
      throttle.failed("203.0.113." + (i % 250), "Admin");
    }

    assertThat(throttle.waitBefore("198.51.100.77", "admin")).contains(Duration.ofMinutes(1));
    assertThat(throttle.waitBefore("192.0.2.1", "admin")).isEmpty();
    now = now.plusSeconds(61);
    assertThat(throttle.waitBefore("198.51.100.77", "admin")).isEmpty();
  }
}
