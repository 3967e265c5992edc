package com.volcstudio.volcengine;

import com.volcstudio.coordination.SharedLimits;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ChannelOption;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the visual API client from the shared WebClient builder and the {@code volc.*} settings.
 */
@Configuration(proxyBeanMethods = false)
class VolcConfiguration {

  /**
   * The limits as they are now: the runtime settings when the app has them (changed from the UI
   * without a restart), else the environment's fixed figures.
   */
  private static UpstreamLimits limits(
      ObjectProvider<UpstreamLimits> runtime, VolcProperties volc, ArkProperties ark) {
    return runtime.getIfAvailable(() -> UpstreamLimits.of(volc, ark));
  }

  /**
   * studio_upstream_retries_total{provider, code}: how often a call was tried again. A rising
   * 50429/50430 count means VOLC_QPS / VOLC_CONCURRENCY are set above the account's real quota.
   */
  private static QuotaGovernor counted(
      QuotaGovernor governor, String provider, ObjectProvider<MeterRegistry> registry) {
    registry.ifAvailable(
        meters ->
            governor.onRetry(
                code ->
                    Counter.builder("studio.upstream.retries")
                        .description("Upstream calls tried again after a retryable failure")
                        .tag("provider", provider)
                        .tag("code", code)
                        .register(meters)
                        .increment()));
    registry.ifAvailable(
        meters ->
            governor.onWait(
                (kind, waited) ->
                    Timer.builder("studio.governor.wait")
                        .description(
                            "How long upstream calls waited for their turn and permit (this"
                                + " replica's and, with REDIS_URL, the account's across replicas)")
                        .tag("provider", provider)
                        .tag("kind", kind)
                        .register(meters)
                        .record(waited)));
    return governor;
  }

  /**
   * One circuit per provider account; resilience4j_circuitbreaker_state{name="visual"|"ark"} on
   * /actuator/prometheus shows which is open.
   */
  @Bean
  UpstreamBreakers upstreamBreakers(
      VolcProperties properties, ObjectProvider<MeterRegistry> registry) {
    CircuitBreakerRegistry circuits = CircuitBreakerRegistry.ofDefaults();
    UpstreamBreakers breakers = UpstreamBreakers.of(properties, circuits);
    registry.ifAvailable(
        meters -> TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuits).bindTo(meters));
    return breakers;
  }

  @Bean
  QuotaGovernor quotaGovernor(
      VolcProperties properties,
      ArkProperties ark,
      ObjectProvider<UpstreamLimits> runtime,
      UpstreamBreakers breakers,
      SharedLimits shared,
      ObjectProvider<MeterRegistry> registry) {
    return counted(
        QuotaGovernor.visual(
            properties, limits(runtime, properties, ark), breakers.visual(), shared),
        "visual",
        registry);
  }

  /** Ark's quota is its own, so it gets its own governor. */
  @Bean
  ArkClient arkClient(
      WebClient.Builder builder,
      VolcProperties properties,
      ArkProperties ark,
      ObjectProvider<UpstreamLimits> runtime,
      UpstreamBreakers breakers,
      SharedLimits shared,
      ObjectProvider<MeterRegistry> registry) {
    return new ArkClient(
        upstreamWebClient(builder, properties),
        JsonMapper.builder().build(),
        counted(
            QuotaGovernor.ark(properties, limits(runtime, properties, ark), breakers.ark(), shared),
            "ark",
            registry));
  }

  @Bean
  VisualClient visualClient(
      WebClient.Builder builder, VolcProperties properties, QuotaGovernor governor) {
    // A plain mapper: the app's snake_case naming strategy must not touch upstream field names.
    return new VisualClient(
        upstreamWebClient(builder, properties),
        VolcSigner.visual(properties.region(), Clock.systemUTC()),
        JsonMapper.builder().build(),
        governor,
        properties.resultLinks());
  }

  private static WebClient upstreamWebClient(WebClient.Builder builder, VolcProperties properties) {
    HttpClient http =
        HttpClient.create()
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
            .responseTimeout(properties.readTimeout());
    return builder
        .clone()
        .clientConnector(new ReactorClientHttpConnector(http))
        // Generated images arrive base64-encoded in the JSON body: several MB per image.
        .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
        .build();
  }
}
