package com.volcstudio.settings;

import com.volcstudio.config.InvalidSettingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AES-256 key that encrypts stored provider keys. From {@code APP_SECRET_KEY} when set (32
 * bytes in base64 are used as they are; a passphrase of 32+ characters is stretched with PBKDF2),
 * otherwise from {@code DATA_DIR/secret.key}, generated on first start with owner-only permissions.
 */
final class MasterKey {

  static final String FILE_NAME = "secret.key";
  static final int KEY_BYTES = 32;
  static final int MIN_PASSPHRASE_CHARS = 32;
  static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private static final Logger log = LoggerFactory.getLogger(MasterKey.class);

  /**
   * A fixed salt is enough here: the salt stops one precomputed table from serving many
   * installations, and a 32-character passphrase is already out of reach of guessing.
   */
  private static final byte[] SALT =
      "volc-image-studio/stored-credentials/v1".getBytes(StandardCharsets.UTF_8);

  private static final int PBKDF2_ITERATIONS = 210_000;

  private MasterKey() {}

  static SecretKey load(String configured, Path dataDir) {
    return configured.isBlank()
        ? fromFile(dataDir.resolve(FILE_NAME))
        : fromSetting(configured.strip());
  }

  static SecretKey fromSetting(String value) {
    byte[] raw = base64(value);
    if (raw != null && raw.length == KEY_BYTES) {
      return new SecretKeySpec(raw, "AES");
    }
    if (value.length() < MIN_PASSPHRASE_CHARS) {
      throw new InvalidSettingException(
          "APP_SECRET_KEY",
          "is too short: use 32 random bytes in base64 "
              + "(openssl rand -base64 32) or a passphrase of at least "
              + MIN_PASSPHRASE_CHARS
              + " characters");
    }
    try {
      SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
      byte[] derived =
          pbkdf2
              .generateSecret(
                  new PBEKeySpec(value.toCharArray(), SALT, PBKDF2_ITERATIONS, KEY_BYTES * 8))
              .getEncoded();
      return new SecretKeySpec(derived, "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
    }
  }

  /**
   * Reads the key file, or creates it: created owner-only from the start, so it is never readable
   * by others.
   */
  static SecretKey fromFile(Path file) {
    try {
      if (!Files.exists(file)) {
        byte[] fresh = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(fresh);
        try {
          create(file, Base64.getEncoder().encode(fresh));
          log.info(
              "Generated a master key for stored provider keys in {}; back it up with the data "
                  + "(or set APP_SECRET_KEY)",
              file);
          return new SecretKeySpec(fresh, "AES");
        } catch (FileAlreadyExistsException raced) {
          // Another start created it a moment ago: read that one.
        }
      }
      warnIfOthersCanRead(file);
      byte[] raw = base64(Files.readString(file, StandardCharsets.US_ASCII).strip());
      if (raw == null || raw.length != KEY_BYTES) {
        throw new InvalidSettingException(
            "DATA_DIR",
            "holds a damaged "
                + FILE_NAME
                + " ("
                + file
                + "): restore it from a backup, or delete it and enter the provider keys again");
      }
      return new SecretKeySpec(raw, "AES");
    } catch (IOException e) {
      throw new InvalidSettingException(
          "DATA_DIR",
          "does not let the app read or create " + file + " (" + e.getClass().getSimpleName() + ")",
          e);
    }
  }

  private static void create(Path file, byte[] content) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (UnsupportedOperationException notPosix) {
      // Windows or another file system without POSIX permissions: restrict what the JDK can.
      Files.createFile(file);
      var asFile = file.toFile();
      asFile.setReadable(false, false);
      asFile.setWritable(false, false);
      asFile.setReadable(true, true);
      asFile.setWritable(true, true);
    }
    Files.write(file, content);
  }

  private static void warnIfOthersCanRead(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(permissions)) {
        log.warn(
            "{} is readable by others ({}); run: chmod 600 {}",
            file,
            PosixFilePermissions.toString(permissions),
            file);
      }
    } catch (UnsupportedOperationException | IOException e) {
      // Nothing to check on a file system without POSIX permissions.
    }
  }

  private static byte[] base64(String value) {
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
