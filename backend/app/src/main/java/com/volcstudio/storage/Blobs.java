package com.volcstudio.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

/**
 * The stored bytes, by key ({@code images/<name>}, {@code thumbnails/<name>}, {@code
 * uploads/<name>}). Every method blocks: callers run them on their worker threads, never on an
 * event loop. A missing key is a {@link NoSuchFileException}, whichever store it is.
 */
public interface Blobs {

  /** The parts, in order, under {@code key}; a reader never sees a partial object. */
  void put(String key, ByteBuffer... parts) throws IOException;

  byte[] get(String key) throws IOException;

  /** A stream of the object, for a caller that copies it elsewhere (a ZIP) without holding it. */
  InputStream open(String key) throws IOException;

  boolean exists(String key) throws IOException;

  /** The object's size in bytes. */
  long size(String key) throws IOException;

  /** Nothing happens for a key that does not exist. */
  void delete(String key) throws IOException;

  /** The object as a file of this machine (the local store), for zero-copy serving; else empty. */
  Optional<Path> file(String key);

  /**
   * The object to serve as a file, sent without copying (the web layer cuts ranges from it): its
   * file under DATA_DIR, or from S3 a copy in the object cache.
   */
  default Resource resource(String key) throws IOException {
    Optional<Path> local = file(key);
    if (local.isPresent()) {
      if (!Files.isRegularFile(local.get())) {
        throw new NoSuchFileException(key);
      }
      return new FileSystemResource(local.get());
    }
    return new ByteArrayResource(get(key));
  }

  /** Whether the bytes are in S3-compatible storage rather than under DATA_DIR. */
  boolean remote();
}
