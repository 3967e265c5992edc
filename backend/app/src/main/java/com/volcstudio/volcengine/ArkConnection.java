package com.volcstudio.volcengine;

import java.net.URI;

/**
 * Where Ark's images API is and the bearer key for it. The key never appears in {@link
 * #toString()}.
 */
public record ArkConnection(URI endpoint, String apiKey) {

  @Override
  public String toString() {
    return "ArkConnection[endpoint=" + endpoint + ", apiKey=****]";
  }
}
