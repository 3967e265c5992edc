package com.volcstudio.system;

import com.volcstudio.volcengine.UpstreamBreaker;
import com.volcstudio.volcengine.UpstreamBreakers;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code upstream} in {@code /actuator/health}: {@code DEGRADED} (HTTP 200) while a provider is
 * unreachable and its tasks wait, with which one, since when and when it is asked again. Not in the
 * readiness group: the studio still serves its pages, history and images, and takes new tasks,
 * which run once the provider answers; restarting or unrouting it would help nobody.
 */
@Component
@ConditionalOnEnabledHealthIndicator("upstream")
class UpstreamHealthIndicator implements HealthIndicator {

  static final Status DEGRADED =
      new Status("DEGRADED", "A provider is unreachable; its tasks wait");

  private final UpstreamBreakers breakers;

  UpstreamHealthIndicator(UpstreamBreakers breakers) {
    this.breakers = breakers;
  }

  @Override
  public Health health() {
    List<UpstreamBreaker.Outage> outages = breakers.outages();
    if (outages.isEmpty()) {
      return Health.up().build();
    }
    Health.Builder builder = Health.status(DEGRADED);
    for (UpstreamBreaker.Outage outage : outages) {
      builder.withDetail(
          outage.provider(),
          Map.of(
              "since", outage.since().toString(),
              "nextCheckAt", outage.nextCheckAt().toString()));
    }
    return builder.build();
  }
}
