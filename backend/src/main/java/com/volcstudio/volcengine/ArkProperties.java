package com.volcstudio.volcengine;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Ark (方舟) image API settings.
 *
 * @param apiKey bearer API key ({@code ARK_API_KEY}); empty = not configured; never printed
 * @param endpoint base URL ({@code ARK_ENDPOINT})
 */
@ConfigurationProperties("ark")
public record ArkProperties(
    @DefaultValue("") String apiKey, @DefaultValue("https://ark.cn-beijing.volces.com/api/v3") URI endpoint) {

  public boolean configured() {
    return !apiKey.isBlank();
  }

  @Override
  public String toString() {
    return "ArkProperties[apiKey=" + (apiKey.isBlank() ? "" : "****") + ", endpoint=" + endpoint + "]";
  }
}
