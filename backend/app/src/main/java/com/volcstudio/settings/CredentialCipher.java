package com.volcstudio.settings;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.encrypt.BytesEncryptor;
import org.springframework.security.crypto.keygen.KeyGenerators;

/**
 * AES-256-GCM (spring-security-crypto) for stored provider keys. Each value gets a fresh random
 * 96-bit IV, stored in front of the ciphertext; GCM's tag means a value altered in the database, or
 * read with another master key, fails to decrypt instead of turning into garbage keys.
 */
final class CredentialCipher {

  private final BytesEncryptor aes;

  CredentialCipher(SecretKey key) {
    this.aes =
        new AesBytesEncryptor(
            key, KeyGenerators.secureRandom(12), AesBytesEncryptor.CipherAlgorithm.GCM);
  }

  String encrypt(String plaintext) {
    return Base64.getEncoder()
        .encodeToString(aes.encrypt(plaintext.getBytes(StandardCharsets.UTF_8)));
  }

  /** The plaintext, or empty when the value was not encrypted with this key (or was altered). */
  Optional<String> decrypt(String ciphertext) {
    try {
      return Optional.of(
          new String(aes.decrypt(Base64.getDecoder().decode(ciphertext)), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | IllegalStateException e) {
      return Optional.empty();
    }
  }
}
