package com.volcstudio.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** Who a request counts as for the rate limit, and the settings' own checks. */
class ClientAddressTests {

  private static ClientAddress from(String remote, String... forwardedFor) {
    var request =
        MockServerHttpRequest.post("/api/v1/generate")
            .remoteAddress(new InetSocketAddress(remote, 40000));
    for (String header : forwardedFor) {
      request.header("X-Forwarded-For", header);
    }
    return ClientAddress.of(request.build());
  }

  @Test
  void aPublicClientIsItsOwnAddressWhateverItClaims() {
    assertThat(from("203.0.113.5", "127.0.0.1")).isEqualTo(new ClientAddress("203.0.113.5", false));
  }

  @Test
  void behindAProxyOnAPrivateAddressTheLastForwardedEntryCounts() {
    assertThat(from("172.18.0.3", "10.9.8.7, 198.51.100.20"))
        .isEqualTo(new ClientAddress("198.51.100.20", false));
    assertThat(from("172.18.0.3", "10.9.8.7", "198.51.100.21"))
        .isEqualTo(new ClientAddress("198.51.100.21", false));
    assertThat(from("127.0.0.1", "127.0.0.1")).isEqualTo(new ClientAddress("127.0.0.1", true));
  }

  @Test
  void withoutAProxyTheRemoteAddressCounts() {
    assertThat(from("127.0.0.1")).isEqualTo(new ClientAddress("127.0.0.1", true));
    assertThat(from("192.168.1.20")).isEqualTo(new ClientAddress("192.168.1.20", false));
  }

  @Test
  void halfALoginConfigurationStopsTheStart() {
    assertThatThrownBy(() -> new StudioSecurityProperties("admin", " ", true, 60, List.of()))
        .hasMessageContaining("APP_AUTH_USERNAME and APP_AUTH_PASSWORD must be set together");
    assertThatThrownBy(() -> new StudioSecurityProperties(null, null, true, 0, List.of()))
        .hasMessageContaining("RATE_LIMIT_PER_MINUTE");
  }

  @Test
  void thePasswordNeverShowsInTheSettingsText() {
    var properties =
        new StudioSecurityProperties(
            "admin", "open sesame 42", true, 60, List.of(" https://a.example ", ""));
    assertThat(properties.toString()).doesNotContain("open sesame").contains("****");
    assertThat(properties.corsOrigins()).containsExactly("https://a.example");
    assertThat(properties.authEnabled()).isTrue();
  }
}
