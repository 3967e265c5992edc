package com.volcstudio.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Personal API tokens: {@code vis_} and 256 random bits in base64url, kept only as their SHA-256.
 * The prefix lets a secret scanner (or a person) tell what a leaked string is.
 */
final class TokenSecrets {

  static final String PREFIX = "vis_";
  private static final int BYTES = 32;

  private final SecureRandom random;

  TokenSecrets() {
    try {
      random = SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no DRBG SecureRandom", e);
    }
    // Seeded now, at start-up, not on the event loop by the first token (see web.RandomIds).
    random.nextBytes(new byte[16]);
  }

  String next() {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether a string has the shape of a token at all (checked before any database lookup). */
  static boolean wellFormed(String token) {
    return token.length() == PREFIX.length() + 43
        && token.startsWith(PREFIX)
        && token.substring(PREFIX.length()).chars().allMatch(TokenSecrets::base64Url);
  }

  private static boolean base64Url(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }

  static String hash(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
