package com.volcstudio.generation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Business metrics for /actuator/prometheus: tasks by outcome and model, the queue, upstream
 * latency and error codes per model, and the images stored.
 */
@Component
class GenerationMetrics {

  private final MeterRegistry registry;

  GenerationMetrics(MeterRegistry registry, TaskQueue queue) {
    this.registry = registry;
    Gauge.builder("studio.queue.waiting", queue, q -> q.waitingIds().size())
        .description("Tasks waiting to start")
        .register(registry);
    Gauge.builder("studio.queue.running", queue, TaskQueue::runningCount)
        .description("Tasks generating now")
        .register(registry);
  }

  void taskFinished(String model, TaskStatus status) {
    Counter.builder("studio.tasks")
        .description("Tasks that reached an end state")
        .tag("model", model)
        .tag("status", status.wireName())
        .register(registry)
        .increment();
  }

  void upstreamCall(String model, Duration took) {
    Timer.builder("studio.upstream.latency")
        .description("Time for one image from the provider, retries included")
        .tag("model", model)
        .publishPercentileHistogram()
        .register(registry)
        .record(took);
  }

  /**
   * The app's own time for one image: from starting it to announcing it stored, less the provider's
   * time (the upstream call above). Database writes, events and the file; the thumbnail is made
   * afterwards (image.Thumbnails).
   */
  void imageOverhead(Duration took) {
    Timer.builder("studio.image.overhead")
        .description("Time the app spends on one image besides waiting for the provider")
        .publishPercentileHistogram()
        .publishPercentiles(0.5, 0.99)
        .register(registry)
        .record(took);
  }

  void upstreamError(String model, String code, boolean retryable) {
    Counter.builder("studio.upstream.errors")
        .description("Failures answered by the provider or on the way to it")
        .tag("model", model)
        .tag("code", code)
        .tag("retryable", String.valueOf(retryable))
        .register(registry)
        .increment();
  }

  void imageStored(long bytes) {
    DistributionSummary.builder("studio.images.stored.bytes")
        .description("Sizes of stored images")
        .baseUnit("bytes")
        .register(registry)
        .record(bytes);
  }
}
