package com.volcstudio.volcengine;

import com.volcstudio.config.InvalidSettingException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * VolcEngine visual API settings.
 *
 * @param accessKey access key id ({@code VOLC_ACCESS_KEY}); empty = not configured
 * @param secretKey secret access key ({@code VOLC_SECRET_KEY}); never printed
 * @param sessionToken STS session token ({@code VOLC_SESSION_TOKEN}), optional
 * @param region signing region ({@code VOLC_REGION}) of the credential scope; the visual API signs
 *     with {@code cn-north-1}
 * @param endpoint base URL ({@code VOLC_ENDPOINT}); point it at a standalone emulator to test live
 *     mode
 * @param connectTimeout TCP connect timeout ({@code VOLC_CONNECT_TIMEOUT}); the official SDK uses 5
 *     s
 * @param readTimeout time to wait for a response ({@code VOLC_READ_TIMEOUT}); the official SDK uses
 *     60 s
 * @param qps generation calls per second the account may make ({@code VOLC_QPS}); above it the
 *     service answers 50429, so the app waits its turn instead
 * @param concurrency generation calls in flight at once ({@code VOLC_CONCURRENCY}); above the
 *     account's concurrency quota the service answers 50430
 * @param queryQps result queries per second ({@code VOLC_QUERY_QPS}); 10 on a free trial, 20 paid
 *     (docs/volcengine/PROTOCOL.md §3.3, 通用2.0Pro async page)
 * @param maxRetries how often a retryable failure (50429, 50430, 5xx, timeouts) is tried again
 *     ({@code VOLC_MAX_RETRIES})
 * @param resultUrlHosts domains whose {@code https} result links ({@code image_urls}) are
 *     downloaded ({@code VOLC_RESULT_URL_HOSTS}), each with its subdomains; the endpoint's own
 *     origin is always allowed. See {@link ResultLinks}
 * @param resultMaxMb the largest result image downloaded from a link, in MB ({@code
 *     VOLC_RESULT_MAX_MB})
 * @param outageAfter failures of the service (5xx, timeouts, refused connections) within ten
 *     seconds, with no answer between them, after which a provider counts as unreachable and calls
 *     wait for it ({@code VOLC_OUTAGE_AFTER}); see {@link UpstreamBreaker}
 * @param outageProbe the first wait before asking an unreachable provider again ({@code
 *     VOLC_OUTAGE_PROBE}); doubled after each probe without an answer, up to a minute
 */
@ConfigurationProperties("volc")
public record VolcProperties(
    @DefaultValue("") String accessKey,
    @DefaultValue("") String secretKey,
    @DefaultValue("") String sessionToken,
    @DefaultValue("cn-north-1") String region,
    @DefaultValue("https://visual.volcengineapi.com") URI endpoint,
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("60s") Duration readTimeout,
    @DefaultValue("2") double qps,
    @DefaultValue("2") int concurrency,
    @DefaultValue("10") double queryQps,
    @DefaultValue("3") int maxRetries,
    @DefaultValue(ResultLinks.DEFAULT_HOSTS) List<String> resultUrlHosts,
    @DefaultValue("" + ResultLinks.DEFAULT_MAX_MB) int resultMaxMb,
    @DefaultValue("10") int outageAfter,
    @DefaultValue("5s") Duration outageProbe) {

  /**
   * The same range the settings dialog accepts, so a value valid in one is valid in the other; the
   * result-link settings are checked here so that a bad one stops the start.
   */
  public VolcProperties {
    checkRate("VOLC_QPS", qps);
    checkRate("VOLC_QUERY_QPS", queryQps);
    resultUrlHosts = List.copyOf(resultUrlHosts);
    ResultLinks.of(resultUrlHosts, resultMaxMb);
    if (outageAfter < 2 || outageAfter > 1000) {
      throw new InvalidSettingException(
          "VOLC_OUTAGE_AFTER", "must be from 2 to 1000 failures in a row, not " + outageAfter);
    }
    if (outageProbe.compareTo(Duration.ofSeconds(1)) < 0
        || outageProbe.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new InvalidSettingException(
          "VOLC_OUTAGE_PROBE", "must be from 1s to 60s, not " + outageProbe.toString());
    }
  }

  /** Which result links the visual client downloads, and how much of each. */
  public ResultLinks resultLinks() {
    return ResultLinks.of(resultUrlHosts, resultMaxMb);
  }

  private static void checkRate(String variable, double perSecond) {
    if (!(perSecond >= 0.1 && perSecond <= 1000)) {
      throw new InvalidSettingException(
          variable,
          "must be from 0.1 to 1000 calls per second, not "
              + java.math.BigDecimal.valueOf(perSecond).stripTrailingZeros().toPlainString());
    }
  }

  public boolean configured() {
    return !accessKey.isBlank() && !secretKey.isBlank();
  }

  public VolcCredentials credentials() {
    return new VolcCredentials(accessKey, secretKey, sessionToken.isBlank() ? null : sessionToken);
  }

  @Override
  public String toString() {
    return "VolcProperties[accessKey="
        + (accessKey.isBlank() ? "" : VolcCredentials.mask(accessKey))
        + ", secretKey="
        + (secretKey.isBlank() ? "" : "****")
        + ", sessionToken="
        + (sessionToken.isBlank() ? "" : "****")
        + ", region="
        + region
        + ", endpoint="
        + endpoint
        + ", connectTimeout="
        + connectTimeout
        + ", readTimeout="
        + readTimeout
        + ", qps="
        + qps
        + ", concurrency="
        + concurrency
        + ", queryQps="
        + queryQps
        + ", maxRetries="
        + maxRetries
        + ", resultUrlHosts="
        + resultUrlHosts
        + ", resultMaxMb="
        + resultMaxMb
        + ", outageAfter="
        + outageAfter
        + ", outageProbe="
        + outageProbe
        + "]";
  }
}
