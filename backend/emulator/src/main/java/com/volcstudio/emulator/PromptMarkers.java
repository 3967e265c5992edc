package com.volcstudio.emulator;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Instructions a test can hide in a prompt: {@code __fault_50412__} makes the request fail with
 * that code; {@code __images_4__} makes a model that decides its own image count (即梦4.x, Ark group
 * generation) return that many; {@code __latency_4000ms__} makes each image of that request take 4
 * s instead of the configured latency, so one test can hold a task running while the others stay
 * quick.
 */
final class PromptMarkers {

  private static final Pattern FAULT = Pattern.compile("__fault_(\\d{5,6})__");
  private static final Pattern IMAGES = Pattern.compile("__images_(\\d{1,2})__");
  private static final Pattern LATENCY = Pattern.compile("__latency_(\\d{1,6})ms__");

  private PromptMarkers() {}

  static Optional<ServiceError> fault(String prompt) {
    Matcher m = FAULT.matcher(prompt);
    return m.find()
        ? Optional.of(ServiceError.injected(Integer.parseInt(m.group(1))))
        : Optional.empty();
  }

  static OptionalInt imageCount(String prompt) {
    Matcher m = IMAGES.matcher(prompt);
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  static Optional<Duration> latency(String prompt) {
    Matcher m = LATENCY.matcher(prompt);
    return m.find() ? Optional.of(Duration.ofMillis(Long.parseLong(m.group(1)))) : Optional.empty();
  }
}
