package com.volcstudio.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.StudioApplication;
import com.volcstudio.upload.TestImages;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Images, thumbnails and uploads in S3-compatible storage (S3_BUCKET, issue 18), against s3proxy on
 * loopback, which checks every request's SigV4 signature: what the studio stores is an object of
 * the bucket and nothing under DATA_DIR; it serves it whole, by Range, as a thumbnail and in a ZIP;
 * an upload is stored, served and deleted there; a deleted task's objects are gone.
 */
class S3StorageTests {

  private static final String BUCKET = "studio-images";
  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Test
  void imagesThumbnailsAndUploadsLiveInTheBucketAndAreServedFromIt() throws Exception {
    Path dataDir = Path.of("target/test-data", UUID.randomUUID().toString());
    try (S3ProxyServer s3 = S3ProxyServer.start(BUCKET);
        S3Client bucket = s3.client();
        ConfigurableApplicationContext app =
            new SpringApplicationBuilder(StudioApplication.class)
                .properties(
                    "DATA_DIR=" + dataDir,
                    "APP_PORT=0",
                    "APP_LOG_LEVEL=WARN",
                    "DEMO_LATENCY=50ms",
                    "S3_ENDPOINT=" + s3.endpoint(),
                    "S3_REGION=us-east-1",
                    "S3_BUCKET=" + BUCKET,
                    "S3_ACCESS_KEY=" + S3ProxyServer.ACCESS_KEY,
                    "S3_SECRET_KEY=" + S3ProxyServer.SECRET_KEY,
                    "S3_PATH_STYLE=true")
                .run()) {
      WebClient http =
          WebClient.builder()
              .baseUrl(
                  "http://127.0.0.1:"
                      + ((WebServerApplicationContext) app).getWebServer().getPort())
              .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(32 * 1024 * 1024))
              .build();

      String taskId =
          (String)
              http.post()
                  .uri("/api/v1/generate")
                  .bodyValue(Map.of("prompt", "a bucket of light", "num_images", 2))
                  .retrieve()
                  .bodyToMono(JSON)
                  .block()
                  .get("task_id");
      Map<String, Object> task = awaitCompleted(http, taskId);
      @SuppressWarnings("unchecked")
      List<String> imageIds =
          ((List<Map<String, Object>>) task.get("images"))
              .stream().map(image -> (String) image.get("image_id")).toList();
      assertThat(imageIds).hasSize(2);

      for (String imageId : imageIds) {
        byte[] whole = get(http, "/api/v1/images/" + imageId, null);
        assertThat(whole).isEqualTo(object(bucket, "images/", imageId));
        assertThat(get(http, "/api/v1/images/" + imageId, "bytes=100-199"))
            .isEqualTo(Arrays.copyOfRange(whole, 100, 200));
        byte[] thumbnail = get(http, "/api/v1/images/" + imageId + "/thumbnail", null);
        assertThat(thumbnail).startsWith(0xff, 0xd8); // a JPEG
        assertThat(thumbnail).isEqualTo(object(bucket, "thumbnails/", imageId));
      }
      // The images were fetched once each into the object cache and served from there; thumbnails
      // are read whole.
      Path cache;
      try (var hosts = Files.list(dataDir.resolve("cache").resolve("objects"))) {
        cache = hosts.findFirst().orElseThrow(); // this host's folder
      }
      assertThat(files(cache)).hasSize(2).allSatisfy(f -> assertThat(f).contains("images_"));
      // A recorded thumbnail is fetched without asking first; one removed from the bucket behind
      // the studio's back is made again.
      String first = imageIds.get(0);
      byte[] thumbnail = get(http, "/api/v1/images/" + first + "/thumbnail", null);
      String thumbnailKey =
          keys(bucket, "thumbnails/").stream()
              .filter(k -> k.contains(first))
              .findFirst()
              .orElseThrow();
      bucket.deleteObject(b -> b.bucket(BUCKET).key(thumbnailKey));
      assertThat(get(http, "/api/v1/images/" + first + "/thumbnail", null)).isEqualTo(thumbnail);
      assertThat(keys(bucket, "thumbnails/")).contains(thumbnailKey);
      byte[] zip =
          http.post()
              .uri("/api/v1/images/zip")
              .bodyValue(Map.of("image_ids", imageIds))
              .retrieve()
              .bodyToMono(byte[].class)
              .block();
      int entries = 0;
      try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
        while (in.getNextEntry() != null) {
          entries++;
        }
      }
      assertThat(entries).as("both images and the manifest").isEqualTo(3);
      assertThat(dataDir.resolve("images")).doesNotExist();
      assertThat(dataDir.resolve("thumbnails")).doesNotExist();

      // A studio backup would hold the database without the bucket: refused, saying why.
      http.post()
          .uri("/api/v1/backups")
          .bodyValue(Map.of())
          .exchangeToMono(
              response -> {
                assertThat(response.statusCode().value()).isEqualTo(409);
                return response.bodyToMono(JSON);
              })
          .doOnNext(problem -> assertThat((String) problem.get("detail")).contains("S3 bucket"))
          .block();

      byte[] png = TestImages.png(64, 48);
      String uploadId = upload(http, png);
      assertThat(get(http, "/api/v1/uploads/" + uploadId, null)).isEqualTo(png);
      assertThat(keys(bucket, "uploads/")).hasSize(1);
      assertThat(files(cache)).hasSize(3);
      http.delete().uri("/api/v1/uploads/{id}", uploadId).retrieve().toBodilessEntity().block();
      assertThat(keys(bucket, "uploads/")).isEmpty();
      assertThat(files(cache)).as("a deleted object leaves the cache").hasSize(2);

      http.delete().uri("/api/v1/task/{id}", taskId).retrieve().toBodilessEntity().block();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!keys(bucket, "images/").isEmpty() || !keys(bucket, "thumbnails/").isEmpty()) {
        assertThat(System.nanoTime()).as("the task's objects are deleted").isLessThan(deadline);
        Thread.sleep(50);
      }
      assertThat(Files.exists(dataDir.resolve("uploads"))).isFalse();
      assertThat(files(cache)).isEmpty();
    }
  }

  private static List<String> files(Path dir) throws java.io.IOException {
    try (var listed = Files.list(dir)) {
      return listed.map(f -> f.getFileName().toString()).toList();
    }
  }

  private static Map<String, Object> awaitCompleted(WebClient http, String taskId)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Map<String, Object> task =
          http.get().uri("/api/v1/task/{id}", taskId).retrieve().bodyToMono(JSON).block();
      if ("completed".equals(task.get("status"))) {
        return task;
      }
      assertThat(System.nanoTime()).as("the task completed: %s", task).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static byte[] get(WebClient http, String path, String range) {
    return http.get()
        .uri(path)
        .headers(
            h -> {
              if (range != null) {
                h.set("Range", range);
              }
            })
        .retrieve()
        .bodyToMono(byte[].class)
        .block();
  }

  /** The one object under {@code prefix} whose name holds {@code id}. */
  private static byte[] object(S3Client bucket, String prefix, String id) {
    String key =
        keys(bucket, prefix).stream().filter(k -> k.contains(id)).findFirst().orElseThrow();
    return bucket.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }

  private static List<String> keys(S3Client bucket, String prefix) {
    return bucket.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .toList();
  }

  private static String upload(WebClient http, byte[] png) {
    MultipartBodyBuilder parts = new MultipartBodyBuilder();
    parts.part(
        "file",
        new ByteArrayResource(png) {
          @Override
          public String getFilename() {
            return "reference.png";
          }
        });
    return (String)
        http.post()
            .uri("/api/v1/uploads")
            .contentType(MediaType.MULTIPART_FORM_DATA)
            .body(BodyInserters.fromMultipartData(parts.build()))
            .exchangeToMono(response -> response.bodyToMono(JSON))
            .map(body -> body.get("upload_id"))
            .onErrorResume(e -> Mono.empty())
            .block();
  }
}
