package com.volcstudio.security;

import com.volcstudio.config.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on the Server-Sent Events streams.
 *
 * @param maxStreamsPerClient event streams one client may hold open at once ({@code
 *     EVENTS_MAX_STREAMS_PER_CLIENT}); a client is the logged-in user, else its address. One
 *     browser tab holds one; the next one over is refused with 429
 */
@ConfigurationProperties("events")
public record EventStreamProperties(@DefaultValue("20") int maxStreamsPerClient) {

  public EventStreamProperties {
    if (maxStreamsPerClient < 1) {
      throw new InvalidSettingException(
          "EVENTS_MAX_STREAMS_PER_CLIENT", "must be at least 1, not " + maxStreamsPerClient);
    }
  }
}
