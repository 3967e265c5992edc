package com.volcstudio.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.Locale;
import java.util.Optional;

/**
 * A failure to write under {@code DATA_DIR}, told apart from every other failure so that a task can
 * say what the user must fix (free disk space, or the directory's permissions) instead of "internal
 * error". The image was generated (and maybe billed); only storing it failed.
 */
public enum StorageFailure {
  /** The disk or the user's quota is full. */
  NO_SPACE,
  /** A directory or file under DATA_DIR cannot be created or written (permissions, read-only). */
  NOT_WRITABLE;

  /** What kind of storage failure {@code error} is, if it is one. */
  public static Optional<StorageFailure> of(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof UncheckedIOException) {
        continue;
      }
      if (!(e instanceof IOException)) {
        return Optional.empty();
      }
      // The JDK reports ENOSPC/EDQUOT only through the operating system's message.
      String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (message.contains("no space left") || message.contains("quota exceeded")) {
        return Optional.of(NO_SPACE);
      }
      if (e instanceof FileSystemException) {
        return Optional.of(NOT_WRITABLE);
      }
    }
    return Optional.empty();
  }
}
