package com.volcstudio.emulator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Faults injected through {@code /_emulator/faults}, consulted once per authenticated request. The
 * first matching rule decides; probabilities draw from a seeded generator so runs repeat.
 */
final class FaultPlan {

  private final List<FaultRule> rules = new ArrayList<>();
  private final Random random;
  private final Clock clock;

  FaultPlan(long seed, Clock clock) {
    this.random = new Random(seed);
    this.clock = clock;
  }

  /** The emulator's time, from which a rule's {@code for_ms} runs. */
  Instant now() {
    return clock.instant();
  }

  synchronized void add(FaultRule rule) {
    rules.add(rule);
  }

  /**
   * Which shape a malformed answer takes next: an HTML page or a JSON document cut short, drawn
   * like the faults.
   */
  synchronized boolean nextMalformedIsHtml() {
    return random.nextBoolean();
  }

  synchronized void clear() {
    rules.clear();
  }

  synchronized List<FaultRule> rules() {
    dropOver();
    return List.copyOf(rules);
  }

  private void dropOver() {
    Instant now = clock.instant();
    rules.removeIf(rule -> rule.over(now));
  }

  /** The fault this request suffers, if any; counted rules are used up. */
  synchronized Optional<FaultRule> next(String action) {
    dropOver();
    for (int i = 0; i < rules.size(); i++) {
      FaultRule rule = rules.get(i);
      if (rule.matches(action)
          && (rule.probability() >= 1 || random.nextDouble() < rule.probability())) {
        FaultRule used = rule.used();
        if (used.remaining() == 0) {
          rules.remove(i);
        } else {
          rules.set(i, used);
        }
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }
}
