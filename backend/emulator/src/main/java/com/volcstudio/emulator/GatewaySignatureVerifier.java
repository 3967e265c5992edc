package com.volcstudio.emulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a request's HMAC-SHA256 V4 signature the way the gateway must: from the wire form, not
 * from what a particular SDK meant to send. It decodes the sent query (form encoding: {@code +} is
 * a space) and re-encodes it canonically, and signs exactly the headers the {@code SignedHeaders}
 * list names (docs/volcengine/PROTOCOL.md §2.5, §2.8). Written independently of the app's signer on
 * purpose: the two meeting in the middle is the test.
 */
final class GatewaySignatureVerifier {

  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "HMAC-SHA256 Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/request,\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]{64})");
  private static final DateTimeFormatter X_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final HexFormat HEX = HexFormat.of();

  private final EmulatorSettings settings;
  private final Clock clock;

  GatewaySignatureVerifier(EmulatorSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * @return the gateway's error, or empty when the request is authentic
   */
  Optional<GatewayError> verify(IncomingRequest request) {
    Optional<String> authorization = request.header("Authorization");
    if (authorization.isEmpty()) {
      return Optional.of(GatewayError.unsigned());
    }
    Matcher auth = AUTHORIZATION.matcher(authorization.get().trim());
    if (!auth.matches()) {
      return Optional.of(
          GatewayError.invalidAuthorization(
              "expected 'HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…'"));
    }
    String accessKey = auth.group(1);
    String scopeDate = auth.group(2);
    if (!accessKey.equals(settings.accessKey())) {
      return Optional.of(GatewayError.invalidAccessKey(accessKey));
    }
    Optional<String> xDate = request.header("X-Date");
    if (xDate.isEmpty()) {
      return Optional.of(GatewayError.missingTimestamp());
    }
    Instant signedAt;
    try {
      signedAt = LocalDateTime.parse(xDate.get(), X_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return Optional.of(GatewayError.missingTimestamp());
    }
    if (Duration.between(signedAt, clock.instant()).abs().compareTo(settings.maxClockSkew()) > 0) {
      return Optional.of(
          GatewayError.signatureMismatch(
              "X-Date " + xDate.get() + " is too far from the server time."));
    }
    if (!auth.group(3).equals("cn-north-1")
        || !auth.group(4).equals("cv")
        || !xDate.get().startsWith(scopeDate)) {
      return Optional.of(
          GatewayError.signatureMismatch(
              "Credential scope must be <X-Date day>/cn-north-1/cv/request."));
    }
    String bodyHash = sha256Hex(request.body());
    String claimedHash = request.header("X-Content-Sha256").orElse(bodyHash);
    if (settings.verifyBodyHash() && !claimedHash.equals(bodyHash)) {
      return Optional.of(
          GatewayError.signatureMismatch("X-Content-Sha256 does not match the body."));
    }

    String signedHeaders = auth.group(5);
    StringBuilder canonical =
        new StringBuilder()
            .append(request.method())
            .append('\n')
            .append(canonicalPath(request.rawPath()))
            .append('\n')
            .append(canonicalQuery(request.rawQuery()))
            .append('\n');
    for (String name : signedHeaders.split(";")) {
      String value = request.header(name).orElse("").trim();
      if (name.equals("host")) {
        value = value.replaceFirst(":(80|443)$", "");
      }
      canonical.append(name).append(':').append(value).append('\n');
    }
    canonical.append('\n').append(signedHeaders).append('\n').append(claimedHash);

    String scope = scopeDate + "/cn-north-1/cv/request";
    String stringToSign =
        "HMAC-SHA256\n"
            + xDate.get()
            + "\n"
            + scope
            + "\n"
            + sha256Hex(canonical.toString().getBytes(StandardCharsets.UTF_8));
    byte[] key = settings.secretKey().getBytes(StandardCharsets.UTF_8);
    for (String part : List.of(scopeDate, "cn-north-1", "cv", "request")) {
      key = hmac(key, part);
    }
    byte[] expected = hmac(key, stringToSign);
    if (!MessageDigest.isEqual(expected, HEX.parseHex(auth.group(6)))) {
      return Optional.of(
          GatewayError.signatureMismatch("Check your Secret Access Key and signing method."));
    }
    return Optional.empty();
  }

  private static String canonicalPath(String rawPath) {
    if (rawPath.isEmpty()) {
      return "/";
    }
    List<String> segments = new ArrayList<>();
    for (String segment : rawPath.split("/", -1)) {
      segments.add(encode(decode(segment, false)));
    }
    return String.join("/", segments);
  }

  /** Decode the wire query (form encoding), then sort stably by name and re-encode (§2.4, §2.5). */
  private static String canonicalQuery(String rawQuery) {
    if (rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> params = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
      params.add(new String[] {name, value});
    }
    params.sort(Comparator.comparing(p -> p[0]));
    List<String> encoded = new ArrayList<>();
    for (String[] p : params) {
      encoded.add(encode(p[0]) + "=" + encode(p[1]));
    }
    return String.join("&", encoded);
  }

  private static String decode(String text, boolean plusIsSpace) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < text.length()) {
      int c = text.codePointAt(i);
      if (c == '%' && i + 2 < text.length()) {
        bytes.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
        i += 3;
        continue;
      }
      byte[] raw =
          (c == '+' && plusIsSpace ? " " : Character.toString(c)).getBytes(StandardCharsets.UTF_8);
      bytes.write(raw, 0, raw.length);
      i += Character.charCount(c);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean unreserved =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c == '~';
      out.append(unreserved ? String.valueOf((char) c) : String.format("%%%02X", c));
    }
    return out.toString();
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
