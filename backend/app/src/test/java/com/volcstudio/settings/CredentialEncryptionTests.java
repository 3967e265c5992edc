package com.volcstudio.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.volcstudio.config.InvalidSettingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master key and AES-GCM round trip that keep stored provider keys unreadable at rest. */
class CredentialEncryptionTests {

  private static final String SECRET =
      "{\"access_key\":\"AKLTexample00000000000000001\",\"secret_key\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQ=\"}";

  @TempDir Path dataDir;

  @Test
  void encryptedValuesDecryptToTheOriginalAndNeverContainIt() {
    CredentialCipher cipher = new CredentialCipher(MasterKey.load("", dataDir));
    String first = cipher.encrypt(SECRET);
    String second = cipher.encrypt(SECRET);
    assertThat(first).doesNotContain("AKLT").doesNotContain("c2VjcmV0");
    // A fresh IV each time: the same keys stored twice look unrelated.
    assertThat(first).isNotEqualTo(second);
    assertThat(cipher.decrypt(first)).contains(SECRET);
    assertThat(cipher.decrypt(second)).contains(SECRET);
  }

  @Test
  void anAlteredCiphertextOrAnotherMasterKeyDecryptsToNothing() {
    CredentialCipher cipher = new CredentialCipher(MasterKey.load("", dataDir));
    byte[] raw = Base64.getDecoder().decode(cipher.encrypt(SECRET));
    raw[raw.length - 5] ^= 1;
    assertThat(cipher.decrypt(Base64.getEncoder().encodeToString(raw))).isEmpty();
    CredentialCipher other =
        new CredentialCipher(MasterKey.fromSetting("another-passphrase-of-at-least-32-characters"));
    assertThat(other.decrypt(cipher.encrypt(SECRET))).isEmpty();
    assertThat(cipher.decrypt("not base64 at all %%%")).isEmpty();
  }

  @Test
  void theGeneratedKeyFileIsOwnerOnlyAndReusedAtTheNextStart() throws Exception {
    SecretKey first = MasterKey.load("", dataDir);
    Path file = dataDir.resolve(MasterKey.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(
            Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip()))
        .hasSize(32);
    SecretKey again = MasterKey.load("", dataDir);
    assertThat(again.getEncoded()).isEqualTo(first.getEncoded());
  }

  @Test
  void appSecretKeyIsUsedAsItIsWhenItIs32BytesOfBase64AndStretchedWhenItIsAPassphrase() {
    byte[] raw = new byte[32];
    raw[0] = 7;
    assertThat(MasterKey.load(Base64.getEncoder().encodeToString(raw), dataDir).getEncoded())
        .isEqualTo(raw);
    String passphrase = "correct horse battery staple, and then some more";
    assertThat(MasterKey.load(passphrase, dataDir).getEncoded())
        .hasSize(32)
        .isEqualTo(MasterKey.load(passphrase, dataDir).getEncoded());
    // With APP_SECRET_KEY set no key file is written.
    assertThat(dataDir.resolve(MasterKey.FILE_NAME)).doesNotExist();
  }

  @Test
  void aShortAppSecretKeyStopsTheStartNamingTheVariableButNotTheValue() {
    assertThatThrownBy(() -> MasterKey.load("short-but-secret", dataDir))
        .isInstanceOfSatisfying(
            InvalidSettingException.class,
            e -> {
              assertThat(e.variable()).isEqualTo("APP_SECRET_KEY");
              assertThat(e.getMessage()).doesNotContain("short-but-secret");
            });
  }

  @Test
  void aDamagedKeyFileStopsTheStart() throws Exception {
    Files.writeString(dataDir.resolve(MasterKey.FILE_NAME), "not a key");
    assertThatThrownBy(() -> MasterKey.load("", dataDir))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("secret.key");
  }
}
