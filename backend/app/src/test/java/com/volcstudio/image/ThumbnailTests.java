package com.volcstudio.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.config.StudioProperties;
import com.volcstudio.storage.Blobs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * Thumbnails are made after the image is stored, once, and on demand when asked for before that
 * (just stored, or lost to a crash).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "DEMO_LATENCY=0ms"})
@AutoConfigureWebTestClient
class ThumbnailTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
      new ParameterizedTypeReference<>() {};
  private static final int CONCURRENT = 16;

  @Autowired WebTestClient http;
  @Autowired DatabaseClient db;
  @Autowired StudioProperties properties;
  @Autowired ThumbnailProperties settings;
  @Autowired ImageRepository repository;
  @Autowired Blobs blobs;
  @Autowired Thumbnails thumbnails;
  @LocalServerPort int port;

  @Test
  void aStoredImageGetsItsThumbnailWithoutAnyoneAskingAndItsSizeIsRecorded() throws Exception {
    StoredImage image = generate("background thumbnail");

    long recorded = awaitRecordedThumbnail(image.id());

    Path file = thumbnails.pathOf(image);
    assertThat(file).isRegularFile();
    assertThat(recorded).isEqualTo(Files.size(file));
    assertThat(ImageIO.read(file.toFile()).getWidth()).isEqualTo(settings.size());
  }

  @Test
  void aThumbnailAskedForBeforeItWasMadeIsMadeThenAndServedWithTheUsualCaching() throws Exception {
    StoredImage image = generate("thumbnail lost to a crash");
    awaitRecordedThumbnail(image.id());
    forgetThumbnail(image); // as after a crash between storing the image and making its thumbnail

    byte[] body =
        http.get()
            .uri(image.thumbnailUrl())
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType(MediaType.IMAGE_JPEG)
            .expectHeader()
            .cacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePrivate().immutable())
            .expectHeader()
            .valueEquals("ETag", "\"" + image.id() + "-thumbnail\"")
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();

    assertThat(ImageIO.read(new ByteArrayInputStream(body)).getWidth()).isEqualTo(settings.size());
    assertThat(thumbnails.pathOf(image)).isRegularFile();
    assertThat(awaitRecordedThumbnail(image.id())).isEqualTo(body.length);
  }

  @Test
  void concurrentRequestsForAMissingThumbnailMakeItExactlyOnce() throws Exception {
    StoredImage image = generate("many ask at once");
    awaitRecordedThumbnail(image.id());
    forgetThumbnail(image);
    long madeBefore = thumbnails.madeCount();

    WebClient client = WebClient.create("http://127.0.0.1:" + port);
    List<byte[]> bodies =
        Flux.range(0, CONCURRENT)
            .flatMap(
                i -> client.get().uri(image.thumbnailUrl()).retrieve().bodyToMono(byte[].class),
                CONCURRENT)
            .collectList()
            .block(Duration.ofSeconds(30));

    assertThat(thumbnails.madeCount() - madeBefore).isEqualTo(1);
    assertThat(bodies).hasSize(CONCURRENT);
    assertThat(bodies).allSatisfy(body -> assertThat(body).isEqualTo(bodies.get(0)));
  }

  @Test
  void concurrentCallersShareOneMakingOfTheSameThumbnail() throws Exception {
    StoredImage image = generate("single flight");
    awaitRecordedThumbnail(image.id());
    forgetThumbnail(image);
    // A pool of its own, so no background making of the app's pool can count here.
    Thumbnails fresh = new Thumbnails(blobs, settings, repository);
    try {
      Flux.range(0, CONCURRENT)
          .flatMap(i -> fresh.made(image), CONCURRENT)
          .then()
          .block(Duration.ofSeconds(30));

      assertThat(thumbnails.pathOf(image)).isRegularFile();
      assertThat(fresh.madeCount()).isEqualTo(1);

      // Made once, it is served from the file from then on.
      fresh.made(image).block(Duration.ofSeconds(10));
      assertThat(fresh.madeCount()).isEqualTo(1);
    } finally {
      fresh.destroy();
    }
  }

  @Test
  void aThumbnailSomebodyWaitsForGoesAheadOfTheBackgroundBacklog() throws Exception {
    List<StoredImage> images = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      images.addAll(generateAll("backlog " + i, 4));
    }
    for (StoredImage image : images) {
      awaitRecordedThumbnail(image.id());
      forgetThumbnail(image);
    }
    // One thread (THUMBNAIL_THREADS=1), all of its own: the backlog of a batch that just finished.
    Thumbnails fresh = new Thumbnails(blobs, settings, repository);
    try {
      StoredImage wanted = images.get(images.size() - 1);
      images.subList(0, images.size() - 1).forEach(fresh::makeLater);

      fresh.made(wanted).block(Duration.ofSeconds(30));
      long madeBeforeIt = fresh.madeCount() - 1;

      // At most the one under way when it was asked for, and a few more while the request was
      // on its way; without the lanes it came after all 31.
      assertThat(madeBeforeIt).isLessThan(images.size() / 2);
      for (StoredImage image : images) {
        awaitRecordedThumbnail(image.id());
      }
      assertThat(fresh.madeCount()).isEqualTo(images.size());
    } finally {
      fresh.destroy();
    }
  }

  @Test
  void thumbnailsLostToACrashAreMadeAgainAtStartUp() throws Exception {
    StoredImage image = generate("made again at start-up");
    awaitRecordedThumbnail(image.id());
    forgetThumbnail(image);

    thumbnails.makeMissing(); // what ApplicationReadyEvent runs

    assertThat(awaitRecordedThumbnail(image.id())).isPositive();
    assertThat(thumbnails.pathOf(image)).isRegularFile();
  }

  @Test
  void aThumbnailOfAnImageWhoseFileIsGoneIsNotFound() throws Exception {
    StoredImage image = generate("file deleted by hand");
    awaitRecordedThumbnail(image.id());
    forgetThumbnail(image);
    Files.delete(properties.imagesDir().resolve(image.fileName()));

    http.get()
        .uri(image.thumbnailUrl())
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  private void forgetThumbnail(StoredImage image) throws IOException, InterruptedException {
    // Its size is recorded a moment before its making completes: a repair asked for meanwhile
    // would join that making, which made the file just removed (seen in a clean-clone run).
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (thumbnails.making(image.id()) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Files.delete(thumbnails.pathOf(image));
    db.sql("UPDATE stored_image SET thumbnail_bytes = 0 WHERE id = :id")
        .bind("id", image.id())
        .then()
        .block(Duration.ofSeconds(10));
  }

  private long awaitRecordedThumbnail(String imageId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      StoredImage stored = repository.findById(imageId, null).block(Duration.ofSeconds(10));
      if (stored != null && stored.thumbnailBytes() > 0) {
        return stored.thumbnailBytes();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the thumbnail of image " + imageId + " was not made in 30 s");
  }

  private List<StoredImage> generateAll(String prompt, int count) throws InterruptedException {
    Map<String, Object> accepted =
        http.post()
            .uri("/api/v1/generate")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("prompt", prompt, "width", 512, "height", 512, "num_images", count))
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    String taskId = (String) Objects.requireNonNull(accepted).get("task_id");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      List<StoredImage> images =
          repository.findByTask(taskId).collectList().block(Duration.ofSeconds(10));
      if (images != null && images.size() == count) {
        return images;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("task " + taskId + " did not store " + count + " images in 30 s");
  }

  private StoredImage generate(String prompt) throws InterruptedException {
    return generateAll(prompt, 1).get(0);
  }
}
