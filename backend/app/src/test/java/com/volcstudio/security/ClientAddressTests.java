package com.volcstudio.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.volcstudio.config.InvalidSettingException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Who a request counts as: behind a trusted proxy the client it names, read from the right;
 * otherwise the connection's own address, whatever the headers claim. And the settings' own checks.
 */
class ClientAddressTests {

  private static final ForwardedHeadersFilter LOOPBACK_PROXY =
      new ForwardedHeadersFilter(new TrustedProxies(List.of("127.0.0.1", "::1")));

  private static ServerWebExchange through(
      ForwardedHeadersFilter filter, MockServerHttpRequest.BaseBuilder<?> request) {
    AtomicReference<ServerWebExchange> seen = new AtomicReference<>();
    filter
        .filter(
            MockServerWebExchange.from(request),
            exchange -> {
              seen.set(exchange);
              return Mono.empty();
            })
        .block();
    return seen.get();
  }

  private static ClientAddress from(String remote, String... forwardedFor) {
    var request =
        MockServerHttpRequest.post("/api/v1/generate")
            .remoteAddress(new InetSocketAddress(remote, 40000));
    for (String header : forwardedFor) {
      request.header("X-Forwarded-For", header);
    }
    return ClientAddress.of(through(LOOPBACK_PROXY, request).getRequest());
  }

  @Test
  void aClientThatIsNoTrustedProxyIsItsOwnAddressWhateverItClaims() {
    assertThat(from("203.0.113.5", "127.0.0.1")).isEqualTo(new ClientAddress("203.0.113.5", false));
    // A private address is no proxy unless configured as one (the review's forged X-Forwarded-For).
    assertThat(from("192.168.1.20", "10.9.8.7"))
        .isEqualTo(new ClientAddress("192.168.1.20", false));
  }

  @Test
  void behindATrustedProxyTheLastEntryItAppendedCounts() {
    assertThat(from("127.0.0.1", "10.9.8.7, 198.51.100.20"))
        .isEqualTo(new ClientAddress("198.51.100.20", false));
    assertThat(from("127.0.0.1", "10.9.8.7", "198.51.100.21"))
        .isEqualTo(new ClientAddress("198.51.100.21", false));
    assertThat(from("127.0.0.1", "127.0.0.1")).isEqualTo(new ClientAddress("127.0.0.1", true));
  }

  @Test
  void aChainOfTrustedProxiesIsWalkedFromTheRight() {
    var proxies =
        new ForwardedHeadersFilter(new TrustedProxies(List.of("127.0.0.1", "172.16.0.0/12")));
    var request =
        MockServerHttpRequest.get("/")
            .remoteAddress(new InetSocketAddress("127.0.0.1", 40000))
            .header("X-Forwarded-For", "6.6.6.6, 198.51.100.30, 172.18.0.4");

    assertThat(ClientAddress.of(through(proxies, request).getRequest()))
        .isEqualTo(new ClientAddress("198.51.100.30", false));
  }

  @Test
  void anEntryThatIsNoAddressIsNotBelieved() {
    assertThat(from("127.0.0.1", "evil.example")).isEqualTo(new ClientAddress("127.0.0.1", true));
    assertThat(from("127.0.0.1", "198.51.100.9:4444"))
        .isEqualTo(new ClientAddress("127.0.0.1", true));
  }

  @Test
  void withoutAProxyTheRemoteAddressCounts() {
    assertThat(from("127.0.0.1")).isEqualTo(new ClientAddress("127.0.0.1", true));
    assertThat(from("192.168.1.20")).isEqualTo(new ClientAddress("192.168.1.20", false));
  }

  @Test
  void httpsIsBelievedOnlyFromATrustedProxyAndForwardingHeadersFromOthersAreDropped() {
    ServerWebExchange proxied =
        through(
            LOOPBACK_PROXY,
            MockServerHttpRequest.get("http://localhost:8080/")
                .remoteAddress(new InetSocketAddress("127.0.0.1", 40000))
                .header("X-Forwarded-Proto", "https"));
    ServerWebExchange direct =
        through(
            LOOPBACK_PROXY,
            MockServerHttpRequest.get("http://localhost:8080/")
                .remoteAddress(new InetSocketAddress("192.168.1.20", 40000))
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-For", "127.0.0.1"));

    assertThat(proxied.getRequest().getURI().getScheme()).isEqualTo("https");
    assertThat(proxied.getRequest().getSslInfo()).isNotNull();
    assertThat(proxied.<Boolean>getAttribute(ForwardedHeadersFilter.HTTPS)).isTrue();
    assertThat(direct.getRequest().getURI().getScheme()).isEqualTo("http");
    assertThat(direct.getRequest().getHeaders().containsHeader("X-Forwarded-Proto")).isFalse();
    assertThat(direct.getRequest().getHeaders().containsHeader("X-Forwarded-For")).isFalse();
    assertThat(direct.<Boolean>getAttribute(ForwardedHeadersFilter.HTTPS)).isNull();
  }

  @Test
  void aTrustedProxyThatIsNoAddressOrRangeStopsTheStart() {
    assertThatThrownBy(() -> new TrustedProxies(List.of("nginx")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("APP_TRUSTED_PROXIES");
    assertThatThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/33")))
        .isInstanceOf(InvalidSettingException.class);
  }

  @Test
  void halfALoginConfigurationStopsTheStart() {
    assertThatThrownBy(() -> properties("admin", " ", 60, List.of()))
        .hasMessageContaining("APP_AUTH_USERNAME and APP_AUTH_PASSWORD must be set together");
    assertThatThrownBy(() -> properties(null, null, 0, List.of()))
        .hasMessageContaining("RATE_LIMIT_PER_MINUTE");
  }

  @Test
  void thePasswordNeverShowsInTheSettingsText() {
    var properties = properties("admin", "open sesame 42", 60, List.of(" https://a.example ", ""));
    assertThat(properties.toString()).doesNotContain("open sesame").contains("****");
    assertThat(properties.corsOrigins()).containsExactly("https://a.example");
    assertThat(properties.authEnabled()).isTrue();
  }

  @Test
  void allowedHostsAreComparedLowerCaseWithoutBrackets() {
    var properties =
        new StudioSecurityProperties(
            null, null, true, 60, List.of(), List.of(" Studio.LAN ", "[::1]", ""), List.of());
    assertThat(properties.allowedHosts()).containsExactly("studio.lan", "::1");
  }

  private static StudioSecurityProperties properties(
      String user, String password, int perMinute, List<String> cors) {
    return new StudioSecurityProperties(
        user, password, true, perMinute, cors, List.of("localhost"), List.of("127.0.0.1"));
  }
}
