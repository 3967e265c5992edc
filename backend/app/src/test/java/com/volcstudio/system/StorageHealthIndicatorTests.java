package com.volcstudio.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.volcstudio.config.StudioProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The storage check on its own, and in the probe groups of a running app whose threshold no disk
 * can meet: readiness goes DOWN (503) saying why, liveness stays UP so nothing restarts it for a
 * full disk.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "MIN_FREE_DISK_MB=1000000000"})
@AutoConfigureWebTestClient
class StorageHealthIndicatorTests {

  @TempDir Path dir;

  @Autowired WebTestClient http;

  @Test
  void isUpWhenDataDirIsWritableAndHasRoom() {
    Health health = check(dir, 0);
    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("path", dir.toString()).containsKey("freeMb");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void isDownWhenDataDirDoesNotExist() {
    Health health = check(dir.resolve("missing"), 0);
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails().get("reason")).asString().contains("missing does not exist");
  }

  @Test
  void isDownWhenDataDirIsAFile() throws IOException {
    Health health = check(Files.createFile(dir.resolve("data")), 0);
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails().get("reason")).asString().contains("is not a directory");
  }

  @Test
  void isDownWhenDataDirIsReadOnly() throws IOException {
    Path readOnly = Files.createDirectory(dir.resolve("read-only"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    // root may write anyway; then there is nothing to observe.
    assumeTrue(
        !Files.isWritable(readOnly),
        "the file system lets this user write to a read-only directory");
    Health health = check(readOnly, 0);
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails().get("reason")).asString().contains("is not writable");
  }

  @Test
  void isDownWhenFreeSpaceIsBelowTheMinimum() {
    Health health = check(dir, 1_000_000_000L);
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails().get("reason"))
        .asString()
        .contains("MB free in DATA_DIR", "below MIN_FREE_DISK_MB=1000000000");
  }

  @Test
  void readinessReportsTheDatabaseAndStorageAndGoesDownWhileLivenessStaysUp() {
    http.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("DOWN")
        .jsonPath("$.components.r2dbc.status")
        .isEqualTo("UP")
        .jsonPath("$.components.readinessState.status")
        .isEqualTo("UP")
        .jsonPath("$.components.storage.status")
        .isEqualTo("DOWN")
        .jsonPath("$.components.storage.details.reason")
        .value(reason -> assertThat((String) reason).contains("below MIN_FREE_DISK_MB=1000000000"));
    http.get()
        .uri("/actuator/health/liveness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP")
        .jsonPath("$.components.livenessState.status")
        .isEqualTo("UP")
        .jsonPath("$.components.storage")
        .doesNotExist();
  }

  private static Health check(Path dataDir, long minFreeMb) {
    StudioProperties properties =
        new StudioProperties(dataDir, false, 30, 100, 1000, 2, java.time.Duration.ofHours(3), null);
    return new StorageHealthIndicator(properties, minFreeMb).health().block();
  }
}
