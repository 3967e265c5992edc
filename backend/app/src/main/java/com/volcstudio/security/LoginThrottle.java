package com.volcstudio.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Slows password guessing down, whatever the way in (HTTP Basic on any route, the login form, and
 * later tokens), without letting an attacker lock the real user out.
 *
 * <ul>
 *   <li><b>Per address, first:</b> after {@value #ADDRESS_FREE_FAILURES} failures an address must
 *       wait before its next try, 30 s doubling with each further failure up to 15 minutes.
 *       Failures are forgotten 15 minutes after the last one, or at a success.
 *   <li><b>Per account, softer:</b> {@value #ACCOUNT_FAILURES} failures within 15 minutes from any
 *       addresses (guessing spread over many) close the account for a minute at a time, but not to
 *       an address that has logged in to it successfully in the last 30 days: the real user keeps
 *       getting in.
 * </ul>
 *
 * State is in memory, bounded by Caffeine (a flood of addresses or names cannot exhaust it).
 */
final class LoginThrottle {

  static final int ADDRESS_FREE_FAILURES = 5;
  static final int ACCOUNT_FAILURES = 50;
  private static final Duration FIRST_WAIT = Duration.ofSeconds(30);
  private static final Duration LONGEST_WAIT = Duration.ofMinutes(15);
  private static final Duration WINDOW = Duration.ofMinutes(15);
  private static final Duration ACCOUNT_CLOSED = Duration.ofMinutes(1);
  private static final int MAX_ENTRIES = 10_000;

  /** Consecutive failures of one key, and until when it must wait. */
  private record Failures(int count, Instant waitUntil) {}

  private final Clock clock;
  private final Cache<String, Failures> addresses = window(WINDOW);
  private final Cache<String, Failures> accounts = window(WINDOW);
  private final Cache<String, Boolean> knownGood = window(Duration.ofDays(30));

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  private static <V> Cache<String, V> window(Duration expiry) {
    return Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(expiry).build();
  }

  /** How long this address must wait before trying this account again; empty: it may try now. */
  Optional<Duration> waitBefore(String address, String username) {
    Instant now = clock.instant();
    Failures byAddress = addresses.getIfPresent(address);
    if (byAddress != null && byAddress.waitUntil().isAfter(now)) {
      return Optional.of(Duration.between(now, byAddress.waitUntil()));
    }
    Failures byAccount = accounts.getIfPresent(account(username));
    if (byAccount != null
        && byAccount.waitUntil().isAfter(now)
        && knownGood.getIfPresent(address + "\n" + account(username)) == null) {
      return Optional.of(Duration.between(now, byAccount.waitUntil()));
    }
    return Optional.empty();
  }

  /** Counts a failure; returns the address's failures so far. */
  int failed(String address, String username) {
    Instant now = clock.instant();
    Failures byAddress =
        addresses
            .asMap()
            .compute(
                address,
                (key, before) -> {
                  int count = before == null ? 1 : before.count() + 1;
                  return new Failures(count, now.plus(addressWait(count)));
                });
    accounts
        .asMap()
        .compute(
            account(username),
            (key, before) -> {
              int count = before == null ? 1 : before.count() + 1;
              return new Failures(
                  count, count >= ACCOUNT_FAILURES ? now.plus(ACCOUNT_CLOSED) : now);
            });
    return byAddress.count();
  }

  void succeeded(String address, String username) {
    addresses.invalidate(address);
    knownGood.put(address + "\n" + account(username), Boolean.TRUE);
  }

  static Duration addressWait(int failures) {
    if (failures < ADDRESS_FREE_FAILURES) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failures - ADDRESS_FREE_FAILURES, 10);
    Duration wait = FIRST_WAIT.multipliedBy(1L << doublings);
    return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
  }

  private static String account(String username) {
    String name = username.strip().toLowerCase(Locale.ROOT);
    return name.length() > 200 ? name.substring(0, 200) : name;
  }
}
