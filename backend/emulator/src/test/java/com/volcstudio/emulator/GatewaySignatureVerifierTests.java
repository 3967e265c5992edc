package com.volcstudio.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.SigningVectors;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The emulated gateway must accept what the official SDK really sends: each signing vector's wire
 * request (its form-encoded URI and signed headers), and nothing that differs from it by one byte.
 */
class GatewaySignatureVerifierTests {

  static Stream<JsonNode> vectors() throws Exception {
    return SigningVectors.cases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void acceptsTheOfficialSdkWireRequest(JsonNode vector) {
    assertThat(verifierFor(vector).verify(wireRequest(vector, null))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void rejectsTheSameRequestWithOneBodyByteChanged(JsonNode vector) {
    var rejected = verifierFor(vector).verify(wireRequest(vector, "tampered"));
    assertThat(rejected)
        .hasValueSatisfying(
            error -> {
              assertThat(error.code()).isEqualTo("SignatureDoesNotMatch");
              assertThat(error.httpStatus()).isEqualTo(401);
            });
  }

  private static GatewaySignatureVerifier verifierFor(JsonNode vector) {
    JsonNode in = vector.get("input");
    var signedAt =
        LocalDateTime.parse(
                in.get("x_date").asString(), DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
            .toInstant(ZoneOffset.UTC);
    var settings =
        EmulatorSettings.loopback(
            0,
            in.get("access_key_id").asString(),
            in.get("secret_access_key").asString(),
            Duration.ZERO);
    return new GatewaySignatureVerifier(
        settings, Clock.fixed(signedAt.plusSeconds(30), ZoneOffset.UTC));
  }

  private static IncomingRequest wireRequest(JsonNode vector, String bodySuffix) {
    JsonNode in = vector.get("input");
    JsonNode out = vector.get("sdk_output");
    URI uri = URI.create(out.get("request_uri").asString());
    String rawUri = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    out.get("headers_after_signing")
        .forEach(h -> headers.add(Map.entry(h.get(0).asString(), h.get(1).asString())));
    String body = in.get("body_utf8").isNull() ? "" : in.get("body_utf8").asString();
    if (bodySuffix != null) {
      body = body + bodySuffix;
      // A tampered body is re-hashed by a forger, so only the signature can catch it.
      String forged = sha256(body);
      headers.replaceAll(
          h -> h.getKey().equals("X-Content-Sha256") ? Map.entry(h.getKey(), forged) : h);
    }
    return new IncomingRequest(
        in.get("method").asString(), rawUri, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
