package com.volcstudio.web;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs without blocking I/O per id. {@link UUID#randomUUID()} reads {@code
 * /dev/urandom} through a {@code FileInputStream} on every call, which BlockHound caught on the
 * event loop (storm test). A DRBG seeded once, when the owning bean is built at start-up, gives ids
 * just as unguessable from memory.
 */
public final class RandomIds {

  private final SecureRandom random;

  public RandomIds() {
    try {
      random = SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no DRBG SecureRandom", e);
    }
    // Seeds now (reading the entropy source once), not on the first request.
    random.nextBytes(new byte[16]);
  }

  public String next() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new UUID(buffer.getLong(), buffer.getLong()).toString();
  }
}
