package com.volcstudio.volcengine;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Ark (方舟) image API settings.
 *
 * @param apiKey bearer API key ({@code ARK_API_KEY}); empty = not configured; never printed
 * @param endpoint base URL ({@code ARK_ENDPOINT})
 * @param rpm image requests per minute the account may make ({@code ARK_RPM}); above it Ark answers
 *     429 RateLimitExceeded (docs/volcengine/PROTOCOL.md §6.5)
 * @param concurrency image requests in flight at once ({@code ARK_CONCURRENCY})
 */
@ConfigurationProperties("ark")
public record ArkProperties(
    @DefaultValue("") String apiKey,
    @DefaultValue("https://ark.cn-beijing.volces.com/api/v3") URI endpoint,
    @DefaultValue("500") int rpm,
    @DefaultValue("2") int concurrency) {

  public boolean configured() {
    return !apiKey.isBlank();
  }

  @Override
  public String toString() {
    return "ArkProperties[apiKey="
        + (apiKey.isBlank() ? "" : "****")
        + ", endpoint="
        + endpoint
        + ", rpm="
        + rpm
        + ", concurrency="
        + concurrency
        + "]";
  }
}
