package com.volcstudio.web;

import com.volcstudio.config.InvalidSettingException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the backend waits on a client's connection.
 *
 * @param idleTimeout how long a connection may wait for a whole request head (from its first byte
 *     or from the previous response), stay idle between requests, or pause while sending a body
 *     ({@code APP_IDLE_TIMEOUT}). Behind nginx keep it above nginx's upstream keepalive_timeout (20
 *     s), so that nginx, not the backend, closes the connections it keeps for reuse
 * @param requestTimeout how long a request body may take to arrive in full ({@code
 *     APP_REQUEST_TIMEOUT}); a body trickled a byte at a time never pauses long enough for the idle
 *     timeout
 */
@ConfigurationProperties("connections")
public record ConnectionProperties(
    @DefaultValue("30s") Duration idleTimeout, @DefaultValue("2m") Duration requestTimeout) {

  public ConnectionProperties {
    if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new InvalidSettingException(
          "APP_IDLE_TIMEOUT", "must be at least 1s, not " + idleTimeout);
    }
    if (requestTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new InvalidSettingException(
          "APP_REQUEST_TIMEOUT", "must be at least 1s, not " + requestTimeout);
    }
  }
}
