package com.volcstudio.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Checks a password given in plain text in APP_AUTH_PASSWORD. Hashing it with BCrypt would protect
 * nothing (the plain text sits in the environment anyway) and would cost every Basic request tens
 * to hundreds of milliseconds of CPU; comparing SHA-256 digests with {@link MessageDigest#isEqual}
 * takes the same time whatever the guess, so the comparison leaks neither content nor length.
 */
final class PlainPasswordEncoder implements PasswordEncoder {

  static final String ID = "plain";

  @Override
  public String encode(CharSequence rawPassword) {
    return rawPassword.toString();
  }

  @Override
  public boolean matches(CharSequence rawPassword, String encodedPassword) {
    return MessageDigest.isEqual(sha256(rawPassword.toString()), sha256(encodedPassword));
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
