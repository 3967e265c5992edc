package com.volcstudio.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import org.junit.jupiter.api.Test;

class StorageFailureTests {

  @Test
  void aFullDiskIsToldApartByTheOperatingSystemsMessage() {
    assertThat(StorageFailure.of(new IOException("No space left on device")))
        .contains(StorageFailure.NO_SPACE);
    assertThat(StorageFailure.of(new UncheckedIOException(new IOException("Disk quota exceeded"))))
        .contains(StorageFailure.NO_SPACE);
  }

  @Test
  void fileSystemRefusalsAreNotWritable() {
    assertThat(StorageFailure.of(new AccessDeniedException("/data/images/x.png")))
        .contains(StorageFailure.NOT_WRITABLE);
    assertThat(StorageFailure.of(new FileAlreadyExistsException("/data/images")))
        .contains(StorageFailure.NOT_WRITABLE);
  }

  @Test
  void otherFailuresAreNotStorageFailures() {
    assertThat(StorageFailure.of(new IOException("the upstream image could not be decoded")))
        .isEmpty();
    assertThat(StorageFailure.of(new IllegalStateException("boom"))).isEmpty();
    assertThat(StorageFailure.of(new RuntimeException(new IOException("No space left")))).isEmpty();
  }
}
