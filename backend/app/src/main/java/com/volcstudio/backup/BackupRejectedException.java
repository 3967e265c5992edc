package com.volcstudio.backup;

/**
 * An archive that cannot be restored, or a place it cannot be restored to; the message says why.
 */
public final class BackupRejectedException extends RuntimeException {

  public BackupRejectedException(String message) {
    super(message);
  }

  public BackupRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
