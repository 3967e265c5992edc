package com.volcstudio.volcengine;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * VolcEngine's HMAC-SHA256 "V4" request signature, a pure function of the request, the credentials
 * and the clock. Every rule follows the official Java SDK 1.0.273 ({@code SignerV4Impl}); the
 * section numbers refer to {@code docs/volcengine/PROTOCOL.md} §2, and the SDK's signing vectors
 * among the test resources are the proof.
 */
public final class VolcSigner {

  /**
   * The SDK's default when a request carries no Content-Type (docs/volcengine/PROTOCOL.md §2.2).
   */
  static final String DEFAULT_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";

  private static final String ALGORITHM = "HMAC-SHA256";
  private static final DateTimeFormatter X_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private final String region;
  private final String service;
  private final Clock clock;

  public VolcSigner(String region, String service, Clock clock) {
    this.region = region;
    this.service = service;
    this.clock = clock;
  }

  /** The visual API's scope: service {@code cv} in the region given ({@code cn-north-1}). */
  public static VolcSigner visual(String region, Clock clock) {
    return new VolcSigner(region, "cv", clock);
  }

  /**
   * Signs a request.
   *
   * @return the headers to send, in the order the SDK sets them: the request's own headers (with
   *     the default Content-Type added when absent), then Host, X-Date, X-Content-Sha256,
   *     Authorization and, with a session token, X-Security-Token
   */
  public List<Map.Entry<String, String>> sign(SigningRequest request, VolcCredentials credentials) {
    String xDate = X_DATE.format(clock.instant());
    String shortDate = xDate.substring(0, 8);
    String payloadHash = sha256Hex(request.body() == null ? new byte[0] : request.body());

    List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers());
    if (headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("Content-Type"))) {
      headers.add(Map.entry("Content-Type", DEFAULT_CONTENT_TYPE));
    }
    headers.add(Map.entry("Host", request.host()));
    headers.add(Map.entry("X-Date", xDate));
    headers.add(Map.entry("X-Content-Sha256", payloadHash));
    if (credentials.sessionToken() != null) {
      headers.add(Map.entry("X-Security-Token", credentials.sessionToken()));
    }

    Map<String, String> canonicalHeaders = canonicalHeaders(headers);
    String signedHeaders = String.join(";", canonicalHeaders.keySet());
    StringBuilder canonicalRequest =
        new StringBuilder()
            .append(request.method().toUpperCase())
            .append('\n')
            .append(canonicalUri(request.path()))
            .append('\n')
            .append(canonicalQuery(request.query()))
            .append('\n');
    canonicalHeaders.forEach(
        (name, value) -> canonicalRequest.append(name).append(':').append(value).append('\n'));
    canonicalRequest.append('\n').append(signedHeaders).append('\n').append(payloadHash);

    String scope = shortDate + "/" + region + "/" + service + "/request";
    String stringToSign =
        ALGORITHM
            + "\n"
            + xDate
            + "\n"
            + scope
            + "\n"
            + sha256Hex(canonicalRequest.toString().getBytes(StandardCharsets.UTF_8));
    String signature =
        HEX.formatHex(hmac(signingKey(credentials.secretAccessKey(), shortDate), stringToSign));
    String authorization =
        ALGORITHM
            + " Credential="
            + credentials.accessKeyId()
            + "/"
            + scope
            + ", SignedHeaders="
            + signedHeaders
            + ", Signature="
            + signature;

    // The SDK adds Authorization before X-Security-Token; keep its order so the wire looks the
    // same.
    int tokenIndex = credentials.sessionToken() == null ? headers.size() : headers.size() - 1;
    headers.add(tokenIndex, Map.entry("Authorization", authorization));
    return List.copyOf(headers);
  }

  /**
   * kSigning = HMAC chain over date, region, service and "request", keyed first by the raw SK
   * (§2.6).
   */
  byte[] signingKey(String secretAccessKey, String shortDate) {
    byte[] key = hmac(secretAccessKey.getBytes(StandardCharsets.UTF_8), shortDate);
    key = hmac(key, region);
    key = hmac(key, service);
    return hmac(key, "request");
  }

  /**
   * Signed headers (§2.3): exactly {@code Content-Type}, {@code Content-Md5}, {@code Host}, or a
   * name starting with upper-case {@code X-}. The test is case-sensitive, as in the SDK. Values
   * trimmed, names lower-cased and sorted; {@code :80}/{@code :443} dropped from host (§2.4).
   */
  private static Map<String, String> canonicalHeaders(List<Map.Entry<String, String>> headers) {
    Map<String, String> canonical = new TreeMap<>();
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey();
      if (!isSigned(name)) {
        continue;
      }
      String value = header.getValue().trim();
      if (name.equals("Host")) {
        value = stripDefaultPort(value);
      }
      canonical.put(name.toLowerCase(), value);
    }
    return canonical;
  }

  static boolean isSigned(String headerName) {
    return headerName.equals("Content-Type")
        || headerName.equals("Content-Md5")
        || headerName.equals("Host")
        || headerName.startsWith("X-");
  }

  static String stripDefaultPort(String host) {
    if (host.endsWith(":80")) {
      return host.substring(0, host.length() - 3);
    }
    if (host.endsWith(":443")) {
      return host.substring(0, host.length() - 4);
    }
    return host;
  }

  /** Each path segment percent-encoded; an empty path is {@code /} (§2.4). */
  static String canonicalUri(String path) {
    if (path.isEmpty()) {
      return "/";
    }
    String[] segments = path.split("/", -1);
    List<String> encoded = new ArrayList<>(segments.length);
    for (String segment : segments) {
      encoded.add(percentEncode(segment));
    }
    return String.join("/", encoded);
  }

  /**
   * Sorted by name only with {@link String#compareTo}; the sort is stable, so repeated names keep
   * their order and values are never sorted (§2.4). A null value signs as {@code name=}.
   */
  static String canonicalQuery(List<Map.Entry<String, @Nullable String>> query) {
    List<Map.Entry<String, @Nullable String>> sorted = new ArrayList<>(query);
    sorted.sort(Comparator.comparing(Map.Entry::getKey));
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, @Nullable String> param : sorted) {
      if (!out.isEmpty()) {
        out.append('&');
      }
      String value = param.getValue();
      out.append(percentEncode(param.getKey()))
          .append('=')
          .append(value == null ? "" : percentEncode(value));
    }
    return out.toString();
  }

  /**
   * UTF-8 bytes; {@code A-Z a-z 0-9 - _ . ~} kept, everything else {@code %XX} upper-case (§2.5).
   */
  static String percentEncode(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-256", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every JVM ships HmacSHA256", e);
    }
  }
}
