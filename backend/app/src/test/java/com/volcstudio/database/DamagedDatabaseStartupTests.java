package com.volcstudio.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.volcstudio.StudioApplication;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;

/**
 * The migrations run on a thread of their own while the context is built (StartupMigration): a
 * database they cannot open must still stop the start with their own failure, as it did when they
 * ran on the main thread, and leave the file as it was for the user to restore or repair.
 */
class DamagedDatabaseStartupTests {

  @Test
  void aDatabaseFileThatCannotBeReadStopsTheStartAndIsLeftUntouched() throws Exception {
    Path dataDir = Path.of("target/test-data", UUID.randomUUID().toString()).toAbsolutePath();
    Path db = Files.createDirectories(dataDir.resolve("db")).resolve("studio.mv.db");
    byte[] damaged = "not an H2 store: 火山 ".repeat(4096).getBytes(StandardCharsets.UTF_8);
    Files.write(db, damaged);

    assertThatThrownBy(
            () ->
                new SpringApplication(StudioApplication.class)
                    .run("--DATA_DIR=" + dataDir, "--APP_PORT=0")
                    .close())
        .isNotInstanceOf(CompletionException.class)
        .satisfies(
            e ->
                assertThat(e.getClass().getName() + " " + e.getMessage())
                    .containsAnyOf("Flyway", "flyway", "H2", "corrupt", "Database"));
    assertThat(Files.readAllBytes(db)).isEqualTo(damaged);
  }
}
