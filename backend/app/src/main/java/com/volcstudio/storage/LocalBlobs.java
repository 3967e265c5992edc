package com.volcstudio.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Files under DATA_DIR, each written to a temporary name and moved into place atomically, so a
 * crash never leaves a half-written file under a real name.
 */
final class LocalBlobs implements Blobs {

  private final Path root;

  LocalBlobs(Path root) {
    this.root = root;
  }

  private Path path(String key) {
    return root.resolve(key);
  }

  @Override
  public void put(String key, ByteBuffer... parts) throws IOException {
    Path target = path(key);
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer[] remaining = new ByteBuffer[parts.length];
        long left = 0;
        for (int i = 0; i < parts.length; i++) {
          remaining[i] = parts[i].duplicate(); // the caller's positions stay as they were
          left += remaining[i].remaining();
        }
        while (left > 0) {
          left -= channel.write(remaining);
        }
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  @Override
  public byte[] get(String key) throws IOException {
    return Files.readAllBytes(path(key));
  }

  @Override
  public InputStream open(String key) throws IOException {
    return Files.newInputStream(path(key));
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(path(key));
  }

  @Override
  public long size(String key) throws IOException {
    return Files.size(path(key));
  }

  @Override
  public void delete(String key) throws IOException {
    Files.deleteIfExists(path(key));
  }

  @Override
  public Optional<Path> file(String key) {
    return Optional.of(path(key));
  }

  @Override
  public boolean remote() {
    return false;
  }
}
