package com.volcstudio.volcengine;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The two provider accounts' circuits: the visual API's and Ark's, each its own quota and its own
 * service.
 */
public record UpstreamBreakers(UpstreamBreaker visual, UpstreamBreaker ark) {

  static UpstreamBreakers of(VolcProperties properties, CircuitBreakerRegistry registry) {
    return new UpstreamBreakers(
        breaker("visual", properties, registry), breaker("ark", properties, registry));
  }

  private static UpstreamBreaker breaker(
      String provider, VolcProperties properties, CircuitBreakerRegistry registry) {
    return new UpstreamBreaker(
        provider, registry, properties.outageAfter(), properties.outageProbe(), Clock.systemUTC());
  }

  /** The providers unreachable now, visual first. */
  public List<UpstreamBreaker.Outage> outages() {
    return Stream.of(visual, ark).map(UpstreamBreaker::outage).flatMap(Optional::stream).toList();
  }

  /** Told whenever either circuit opens, closes or reschedules its probe. */
  public void onChange(Runnable listener) {
    visual.onChange(listener);
    ark.onChange(listener);
  }

  /** Closes both (the keys or endpoints changed: a different account to judge). */
  public void reset() {
    visual.reset();
    ark.reset();
  }
}
