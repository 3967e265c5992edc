package com.volcstudio.image;

import com.volcstudio.config.StudioProperties;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.imgscalr.Scalr;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Stores generated images. Each file is written to a temporary name and moved into place
 * atomically, so a crash never leaves a half-written image under a real name; the database row is
 * inserted only after the file and its thumbnail exist, and a resumed task rewrites the same names.
 */
@Service
public class ImageStore {

  static final int THUMBNAIL_SIZE = 256;

  private final StudioProperties properties;
  private final ImageRepository repository;
  private final Clock clock;

  ImageStore(StudioProperties properties, ImageRepository repository) {
    this.properties = properties;
    this.repository = repository;
    this.clock = Clock.systemUTC();
  }

  /** What is stored: how many images, and their bytes on disk (thumbnails included). */
  public record Usage(long images, long bytes) {}

  /**
   * Decodes, writes (with {@code parameters} embedded in the file), thumbnails and records one
   * generated image.
   */
  public Mono<StoredImage> save(
      String taskId, int index, long seed, ImageParameters parameters, byte[] bytes) {
    // ImageIO decoding, scaling and file writes block: keep them off the event loop.
    return Mono.fromCallable(() -> write(taskId, index, seed, parameters, bytes))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(image -> repository.insert(image).thenReturn(image));
  }

  public Flux<StoredImage> findByTask(String taskId) {
    return repository.findByTask(taskId);
  }

  /**
   * The images of these tasks, by task id, each list in image order; tasks without images are
   * absent.
   */
  public Mono<Map<String, List<StoredImage>>> findByTasks(Collection<String> taskIds) {
    if (taskIds.isEmpty()) {
      return Mono.just(Map.of());
    }
    return repository
        .findByTasks(taskIds)
        .collectMultimap(StoredImage::taskId)
        .map(
            byTask ->
                byTask.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue()))));
  }

  public Mono<StoredImage> find(String id) {
    return repository.findById(id);
  }

  /** The images with these ids that exist, in no particular order. */
  public Flux<StoredImage> findAll(Collection<String> ids) {
    return ids.isEmpty() ? Flux.empty() : repository.findByIds(ids);
  }

  public Mono<Long> countCreatedSince(Instant since) {
    return repository.countCreatedSince(since);
  }

  public Mono<Usage> usage() {
    return repository.usage();
  }

  /** Removes the files of images whose rows are gone (deleted with their task). */
  public Mono<Void> deleteFiles(List<StoredImage> images) {
    // File deletion blocks: keep it off the event loop.
    return Mono.fromRunnable(
            () ->
                images.forEach(
                    image -> {
                      try {
                        Files.deleteIfExists(fileOf(image));
                        Files.deleteIfExists(thumbnailOf(image));
                      } catch (IOException e) {
                        throw new UncheckedIOException(
                            "cannot delete the files of image " + image.id(), e);
                      }
                    }))
        .subscribeOn(Schedulers.boundedElastic())
        .then();
  }

  Path fileOf(StoredImage image) {
    return properties.imagesDir().resolve(image.fileName());
  }

  Path thumbnailOf(StoredImage image) {
    return properties.thumbnailsDir().resolve(StoredImage.thumbnailFileName(image.id()));
  }

  private StoredImage write(
      String taskId, int index, long seed, ImageParameters parameters, byte[] bytes)
      throws IOException {
    String mimeType = sniffMimeType(bytes);
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes));
    if (decoded == null) {
      throw new IOException("the upstream image could not be decoded");
    }
    byte[] thumbnail = thumbnail(decoded);
    // The id (and so the file name) follows from the task and the index: a run killed after writing
    // the
    // file but before inserting the row writes the same name again when resumed, instead of leaving
    // an
    // orphan file beside a second copy (found by the crash test, CrashRecoveryTests).
    String id =
        UUID.nameUUIDFromBytes(("image:" + taskId + ":" + index).getBytes(StandardCharsets.UTF_8))
            .toString();
    StoredImage described =
        new StoredImage(
            id,
            taskId,
            index,
            seed,
            decoded.getWidth(),
            decoded.getHeight(),
            mimeType,
            bytes.length,
            thumbnail.length,
            clock.instant().truncatedTo(ChronoUnit.MILLIS),
            parameters);
    byte[] file = ImageMetadata.embed(bytes, mimeType, ImageMetadata.json(described));
    // The recorded size is the file's, metadata included: it is what counts against MAX_STORAGE_GB.
    StoredImage image = described.withSizeBytes(file.length);
    writeAtomically(fileOf(image), file);
    writeAtomically(thumbnailOf(image), thumbnail);
    return image;
  }

  private static byte[] thumbnail(BufferedImage source) throws IOException {
    BufferedImage scaled = Scalr.resize(source, Scalr.Method.QUALITY, THUMBNAIL_SIZE);
    BufferedImage rgb =
        new BufferedImage(scaled.getWidth(), scaled.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(scaled, 0, 0, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(rgb, "jpg", out);
    return out.toByteArray();
  }

  private static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
    try {
      Files.write(temp, bytes);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /** From the bytes, never from a name: PNG and JPEG are what VolcEngine returns. */
  static String sniffMimeType(byte[] bytes) {
    if (bytes.length > 8
        && (bytes[0] & 0xff) == 0x89
        && bytes[1] == 'P'
        && bytes[2] == 'N'
        && bytes[3] == 'G') {
      return "image/png";
    }
    if (bytes.length > 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8) {
      return "image/jpeg";
    }
    throw new UncheckedIOException(new IOException("the upstream answer is neither PNG nor JPEG"));
  }
}
