package com.volcstudio.volcengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.volcstudio.config.InvalidSettingException;
import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import com.volcstudio.volcengine.FakeUpstream.ConnectionTrap;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Result links ({@code image_urls}) an upstream answer names are downloaded only from VolcEngine's
 * result hosts over https, or from the endpoint's own origin; anything else — loopback, another
 * host, a redirect there, a body over the cap — fails with an explained error, and no connection is
 * made to the address named.
 */
class ResultLinkTests {

  private static final VolcCredentials KEYS =
      new VolcCredentials("AKLTresultlinktests000000000001", "cmVzdWx0LWxpbmstdGVzdHM=");

  private static FakeUpstream upstream;
  private static ConnectionTrap trap;

  private final VisualClient client = client(ResultLinks.of(List.of("volces.com"), 1));

  @BeforeAll
  static void start() {
    upstream = FakeUpstream.start();
    trap = new ConnectionTrap();
  }

  @AfterAll
  static void stop() {
    upstream.close();
    trap.close();
  }

  private int trapped;

  @BeforeEach
  void countTheTrapsConnections() {
    trapped = trap.connections();
  }

  @AfterEach
  void nothingReachedTheTrap() throws InterruptedException {
    Thread.sleep(100); // a connection on its way would be counted by now
    assertThat(trap.connections() - trapped).as("connections to the trap").isZero();
  }

  @Test
  void aLinkToLoopbackIsRefusedUnfetchedWithAnExplainedError() {
    upstream.answerWith("http://127.0.0.1:" + trap.port() + "/admin?x=1");
    UpstreamError error = failure(client);
    assertThat(error.code()).isEqualTo("RESULT_URL_REFUSED");
    assertThat(error.retryable()).isFalse();
    assertThat(error.messageEn()).contains("VOLC_RESULT_URL_HOSTS").contains("not downloaded");
    assertThat(error.messageZh()).contains("VOLC_RESULT_URL_HOSTS");
    assertThat(error.upstreamMessage())
        .contains("http://127.0.0.1:" + trap.port())
        .doesNotContain("admin")
        .doesNotContain("Exception")
        .doesNotContain("finishConnect")
        .doesNotContain("Connection refused");
  }

  @Test
  void httpsToAnAddressOrAnotherHostIsRefusedToo() {
    for (String link :
        List.of(
            "https://127.0.0.1:" + trap.port() + "/x",
            "https://localhost:" + trap.port() + "/x",
            "https://[::1]:" + trap.port() + "/x",
            "https://example.com/x.png",
            "https://volces.com.example.com/x.png",
            "https://bucket.tos-cn-beijing.volces.com:" + trap.port() + "/x.png",
            "http://bucket.tos-cn-beijing.volces.com/x.png",
            "https://user@bucket.tos-cn-beijing.volces.com/x.png",
            "file:///etc/passwd",
            "/relative.png",
            "not a url")) {
      upstream.answerWith(link);
      assertThat(failure(client).code()).as(link).isEqualTo("RESULT_URL_REFUSED");
    }
  }

  @Test
  void oneBadLinkAmongGoodOnesFetchesNone() {
    upstream.serve("/good.png", FakeUpstream.bytes(new byte[] {1, 2, 3}, false));
    upstream.answerWith(
        upstream.endpoint() + "/good.png", "http://127.0.0.1:" + trap.port() + "/x");
    assertThat(failure(client).code()).isEqualTo("RESULT_URL_REFUSED");
  }

  @Test
  void theEndpointsOwnOriginIsFetched() {
    upstream.serve("/own.png", FakeUpstream.bytes(new byte[] {4, 5, 6}, false));
    upstream.answerWith(upstream.endpoint() + "/own.png");
    assertThat(client.cvProcess(connection(), body()).block())
        .singleElement()
        .isEqualTo(new byte[] {4, 5, 6});
  }

  @Test
  void aRedirectToAnotherHostIsNotFollowed() {
    upstream.serve(
        "/moved.png", FakeUpstream.redirect("http://127.0.0.1:" + trap.port() + "/stolen"));
    upstream.answerWith(upstream.endpoint() + "/moved.png");
    UpstreamError error = failure(client);
    assertThat(error.code()).isEqualTo("RESULT_URL_REFUSED");
    assertThat(error.upstreamMessage()).startsWith("redirected from " + upstream.endpoint());
  }

  @Test
  void aRedirectWithinTheAllowedOriginIsFollowedAFewTimesAtMost() {
    upstream.serve("/hop.png", FakeUpstream.redirect("/final.png"));
    upstream.serve("/final.png", FakeUpstream.bytes(new byte[] {7}, false));
    upstream.answerWith(upstream.endpoint() + "/hop.png");
    assertThat(client.cvProcess(connection(), body()).block())
        .singleElement()
        .isEqualTo(new byte[] {7});

    upstream.serve("/loop.png", FakeUpstream.redirect("/loop.png"));
    upstream.answerWith(upstream.endpoint() + "/loop.png");
    UpstreamError error = failure(client);
    assertThat(error.code()).isEqualTo("RESULT_FETCH_FAILED");
    assertThat(error.upstreamMessage()).contains("redirected more than");
  }

  @Test
  void aBodyOverTheCapIsRefusedWithOrWithoutItsLength() {
    byte[] big = new byte[1024 * 1024 + 1];
    for (boolean chunked : List.of(false, true)) {
      upstream.serve("/big.png", FakeUpstream.bytes(big, chunked));
      upstream.answerWith(upstream.endpoint() + "/big.png");
      UpstreamError error = failure(client);
      assertThat(error.code()).as("chunked %s", chunked).isEqualTo("RESULT_TOO_LARGE");
      assertThat(error.retryable()).isFalse();
      assertThat(error.upstreamMessage()).contains("1 MB (VOLC_RESULT_MAX_MB)");
    }
    upstream.serve("/fits.png", FakeUpstream.bytes(Arrays.copyOf(big, big.length - 1), true));
    upstream.answerWith(upstream.endpoint() + "/fits.png");
    assertThat(client.cvProcess(connection(), body()).block().get(0)).hasSize(1024 * 1024);
  }

  @Test
  void aFailedDownloadIsExplainedAndRetryableWithoutTheExceptionsText() {
    upstream.serve("/gone.png", FakeUpstream.status(403));
    upstream.answerWith(upstream.endpoint() + "/gone.png");
    UpstreamError error = failure(client);
    assertThat(error.code()).isEqualTo("RESULT_FETCH_FAILED");
    assertThat(error.retryable()).isTrue();
    assertThat(error.upstreamMessage()).endsWith("answered HTTP 403");

    // A body cut short: the transport's exception stays in the log, the task says what happened.
    upstream.serve("/cut.png", FakeUpstream.cutShort());
    upstream.answerWith(upstream.endpoint() + "/cut.png");
    error = failure(client);
    assertThat(error.code()).isEqualTo("RESULT_FETCH_FAILED");
    assertThat(error.upstreamMessage())
        .isEqualTo(
            "the result link "
                + upstream.endpoint()
                + " could not be downloaded: the connection closed before the answer was complete");
  }

  @Test
  void theEmulatorsOwnLinksAreFetchedInDemoMode() {
    VolcEmulator emulator =
        VolcEmulator.start(
            EmulatorSettings.loopback(
                0, KEYS.accessKeyId(), KEYS.secretAccessKey(), Duration.ZERO));
    try {
      Map<String, Object> body = body();
      body.put("return_url", true);
      List<byte[]> images =
          client(ResultLinks.defaults())
              .cvProcess(new VisualConnection(emulator.endpoint(), KEYS), body)
              .block();
      assertThat(images).singleElement().satisfies(png -> assertThat(png).startsWith(0x89, 'P'));
    } finally {
      emulator.close();
    }
  }

  @Test
  void arkAsksForBase64AndNeverFetchesALinkItsAnswerNames() {
    upstream.serve(
        "/api/v3/images/generations",
        FakeUpstream.json("{\"data\":[{\"url\":\"http://127.0.0.1:" + trap.port() + "/x\"}]}"));
    ArkClient ark =
        new ArkClient(
            WebClient.create(),
            JsonMapper.builder().build(),
            new QuotaGovernor(50, 50, 0, Duration.ofMillis(10)));
    Throwable thrown = null;
    try {
      ark.generate(
              new ArkConnection(URI.create(upstream.endpoint() + "/api/v3"), "key"),
              Map.of("model", "m", "prompt", "cat", "response_format", "b64_json"))
          .block(Duration.ofSeconds(10));
    } catch (Throwable e) {
      thrown = e;
    }
    assertThat(thrown).isInstanceOf(VolcApiException.class);
    assertThat(((VolcApiException) thrown).error().code()).isEqualTo("EMPTY_RESULT");
  }

  @Test
  void theHostsSettingTakesDomainNamesOnly() {
    assertThat(ResultLinks.of(List.of(" *.Volces.com", ".byteimg.com", ""), 5).hostSuffixes())
        .containsExactly("volces.com", "byteimg.com");
    for (String bad : List.of("https://volces.com", "volces.com:443", "127.0.0.1", "*", "a/b")) {
      assertThatThrownBy(() -> ResultLinks.of(List.of(bad), 5))
          .isInstanceOfSatisfying(
              InvalidSettingException.class,
              e -> assertThat(e.variable()).isEqualTo("VOLC_RESULT_URL_HOSTS"));
    }
    URI endpoint = URI.create("https://visual.volcengineapi.com");
    ResultLinks links = ResultLinks.defaults();
    assertThat(
            links.refusal(
                "https://p9-aiop-sign.byteimg.com/tos-cn-i-vuqhorh59i/x.image?x-signature=s",
                endpoint))
        .isEmpty();
    assertThat(
            links.refusal(
                "https://ark-content-generation-v2-cn-beijing.tos-cn-beijing.volces.com/x.jpeg",
                endpoint))
        .isEmpty();
    assertThat(links.refusal("https://evilvolces.com/x", endpoint)).isPresent();
  }

  private static VisualClient client(ResultLinks links) {
    return new VisualClient(
        WebClient.create(),
        VolcSigner.visual("cn-north-1", Clock.systemUTC()),
        JsonMapper.builder().build(),
        new QuotaGovernor(50, 50, 0, Duration.ofMillis(10)),
        links);
  }

  private static UpstreamError failure(VisualClient client) {
    return failure(() -> client.cvProcess(connection(), body()));
  }

  private static UpstreamError failure(
      java.util.function.Supplier<reactor.core.publisher.Mono<?>> call) {
    Throwable thrown = null;
    try {
      call.get().block(Duration.ofSeconds(10));
    } catch (Throwable e) {
      thrown = e;
    }
    assertThat(thrown).isInstanceOf(VolcApiException.class);
    return ((VolcApiException) thrown).error();
  }

  private static VisualConnection connection() {
    return new VisualConnection(upstream.endpoint(), KEYS);
  }

  private static Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("req_key", "high_aes_general_v20");
    body.put("model_version", "general_v2.0");
    body.put("prompt", "cat");
    body.put("width", 256);
    body.put("height", 256);
    return body;
  }
}
