package com.volcstudio.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.StudioApplication;
import com.volcstudio.backup.RestoreCommand;
import com.volcstudio.config.StudioProperties;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Issue 19's backup: taken from a running studio while tasks generate, restored into an empty
 * DATA_DIR, started there: every task finished in the backup has its images, byte for byte, and the
 * unfinished ones run to the end. A cut-short or altered archive, or a DATA_DIR that already holds
 * a database, is refused with the reason, and nothing is written.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=1s",
      "MAX_CONCURRENT_TASKS=2",
      "test.context=backup"
    })
class BackupRestoreTests {

  @LocalServerPort int port;

  @Autowired StudioProperties studio;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aBackupTakenWhileTasksRunRestoresWithEveryImageAndTheRestResume() throws Exception {
    Path dataDir = studio.dataDir();
    Api app = new Api(URI.create("http://127.0.0.1:" + port));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(app.submit(Map.of("prompt", "备份测试 " + i, "width", 512, "height", 512)));
    }
    // Two at a time, a second each: some finished, some running, some waiting.
    awaitCompleted(app, ids, 2);

    Api.Answer created = app.postJson("/api/v1/backups", Map.of());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode backup = created.json();
    String name = backup.path("name").asString();
    assertThat(backup.path("master_key").asBoolean()).isFalse();
    Path archive = dataDir.resolve("backups").resolve(name);
    assertThat(archive).isRegularFile();
    assertThat(app.get("/api/v1/backups").json().path("backups").get(0).path("name").asString())
        .isEqualTo(name);
    HttpResponse<byte[]> download =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/backups/" + name))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(Files.readAllBytes(archive));

    int imagesInBackup = backup.path("counts").path("images").asInt();
    assertThat(imagesInBackup).isGreaterThanOrEqualTo(2);
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      assertThat(zip.getEntry("secret.key")).as("no master key unless asked").isNull();
    }

    Path restored = Path.of("target/test-data", UUID.randomUUID().toString()).toAbsolutePath();
    assertThat(restore(archive, restored)).isZero();
    // Every image of the backup is there, byte for byte.
    try (var files = Files.list(restored.resolve("images"))) {
      List<Path> images = files.toList();
      assertThat(images).hasSize(imagesInBackup);
      for (Path image : images) {
        assertThat(Files.readAllBytes(image))
            .isEqualTo(Files.readAllBytes(dataDir.resolve("images").resolve(image.getFileName())));
      }
    }

    // The restored studio: what was finished is there with its images, the rest runs to the end.
    try (ConfigurableApplicationContext second =
        new SpringApplication(StudioApplication.class)
            .run(
                "--DATA_DIR=" + restored,
                "--APP_PORT=0",
                "--APP_HOST=127.0.0.1",
                "--DEMO_LATENCY=50ms",
                "--test.context=restored")) {
      Api copy =
          new Api(
              URI.create(
                  "http://127.0.0.1:" + second.getEnvironment().getProperty("local.server.port")));
      Map<String, JsonNode> finished =
          CrashRecoveryTests.awaitAll(copy, ids, Duration.ofSeconds(60));
      for (JsonNode task : finished.values()) {
        assertThat(task.path("status").asString()).as(task.toString()).isEqualTo("completed");
        for (JsonNode image : task.path("images")) {
          String id = image.path("image_id").asString();
          HttpResponse<byte[]> file =
              http.send(
                  HttpRequest.newBuilder(copy.uri("/api/v1/images/" + id)).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
          assertThat(file.statusCode()).isEqualTo(200);
          assertThat(file.body()).hasSizeGreaterThan(100);
        }
      }
    }

    // Refused, each with its reason, and nothing written: cut short, altered, a DATA_DIR in use.
    Path cut = archive.resolveSibling("cut.zip");
    byte[] whole = Files.readAllBytes(archive);
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
    Path empty = Path.of("target/test-data", UUID.randomUUID().toString()).toAbsolutePath();
    assertThat(restore(cut, empty)).isEqualTo(1);
    assertThat(empty).doesNotExist();

    Path altered = archive.resolveSibling("altered.zip");
    alterOneImage(archive, altered);
    assertThat(restore(altered, empty)).isEqualTo(1);
    assertThat(empty).doesNotExist();

    assertThat(restore(archive, dataDir)).isEqualTo(1);
  }

  private static int restore(Path archive, Path into) {
    Map<String, String> env = new HashMap<>();
    env.put("DATA_DIR", into.toString());
    return RestoreCommand.run(new String[] {archive.toString()}, env);
  }

  /** The same archive with one byte of one image changed; the manifest as it was. */
  private static void alterOneImage(Path archive, Path altered) throws IOException {
    try (ZipFile zip = new ZipFile(archive.toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(altered))) {
      boolean changed = false;
      for (ZipEntry entry : zip.stream().toList()) {
        byte[] content;
        try (InputStream in = zip.getInputStream(entry)) {
          content = in.readAllBytes();
        }
        if (!changed && entry.getName().startsWith("images/")) {
          content[content.length / 2] ^= 1;
          changed = true;
        }
        out.putNextEntry(new ZipEntry(entry.getName()));
        out.write(content);
        out.closeEntry();
      }
      assertThat(changed).isTrue();
    }
  }

  private static void awaitCompleted(Api app, List<String> ids, int atLeast) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      int completed = 0;
      for (String id : ids) {
        if (app.task(id).path("status").asString().equals("completed")) {
          completed++;
        }
      }
      if (completed >= atLeast) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("fewer than " + atLeast + " tasks completed in 30 s");
  }
}
