package com.volcstudio.image;

import com.volcstudio.account.Scope;
import com.volcstudio.storage.Blobs;
import com.volcstudio.usage.UsageCounting;
import com.volcstudio.web.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Stores generated images, as files under DATA_DIR or objects in S3-compatible storage ({@link
 * Blobs}); either way a crash never leaves a half-written image under a real name. The database row
 * is inserted only after the image is stored, and a resumed task rewrites the same names.
 * Thumbnails are made afterwards, by {@link Thumbnails}.
 */
@Service
public class ImageStore implements DisposableBean {

  private static final int WRITE_THREADS = 4;

  /** Task ids per query where a question is about many tasks. */
  private static final int TASKS_PER_QUERY = 500;

  private final Blobs blobs;
  private final ImageRepository repository;
  private final Thumbnails thumbnails;
  private final UsageCounting counting;
  private final Clock clock;

  /**
   * Image files are written on threads of their own rather than on boundedElastic: that scheduler
   * also runs ZIP downloads and, in demo mode, the emulator's rendering, and a 3 ms write that
   * queued behind fifty renders there took half a second (make bench). A few threads suffice: a
   * write is one small sequential file; the queue holds only the writes waiting, never lost.
   */
  private final Scheduler writes =
      Schedulers.newBoundedElastic(WRITE_THREADS, Integer.MAX_VALUE, "image-write", 60, true);

  ImageStore(
      Blobs blobs, ImageRepository repository, Thumbnails thumbnails, UsageCounting counting) {
    this.blobs = blobs;
    this.repository = repository;
    this.thumbnails = thumbnails;
    this.counting = counting;
    this.clock = Clock.systemUTC();
  }

  /** What is stored: how many images, and their bytes on disk (thumbnails included). */
  public record Usage(long images, long bytes) {}

  /**
   * Writes (with {@code parameters} embedded in the file) and records one generated image, then
   * asks for its thumbnail, which is made after this returns (see {@link Thumbnails}). The row and
   * the image's count in the usage ledger are one transaction: a stored image is counted once.
   */
  public Mono<StoredImage> save(
      String taskId, String owner, int index, long seed, ImageParameters parameters, byte[] bytes) {
    // The file write blocks: keep it off the event loop. No decoding here: the size comes from the
    // header and the parameters are inserted into the upstream bytes as they are.
    return Mono.fromCallable(() -> write(taskId, index, seed, parameters, bytes))
        .subscribeOn(writes)
        .flatMap(
            image ->
                counting
                    .image(
                        repository.insert(image, owner),
                        parameters.model(),
                        owner,
                        (long) image.width() * image.height(),
                        image.createdAt())
                    .thenReturn(image))
        .doOnNext(thumbnails::makeLater);
  }

  /** The thumbnail, made now if it was not yet (just stored, or lost to a crash). */
  Mono<Resource> thumbnail(StoredImage image) {
    String key = Thumbnails.keyOf(image);
    if (!blobs.remote()) {
      return thumbnails.made(image).then(resource(key));
    }
    // In a bucket a thumbnail is read whole, not through the object cache: it is small, and one
    // gone
    // from the bucket must be noticed and made again. One whose size is recorded exists: fetched at
    // once, without asking first whether it does (one request instead of two).
    Mono<Resource> read =
        Mono.fromCallable(() -> (Resource) new ByteArrayResource(blobs.get(key)))
            .subscribeOn(Schedulers.boundedElastic());
    Mono<Resource> made = thumbnails.made(image).then(read);
    return image.thumbnailBytes() > 0
        ? read.onErrorResume(NoSuchFileException.class, gone -> made)
        : made;
  }

  /** The image's bytes to serve (ranges are cut from it by the web layer). */
  Mono<Resource> resource(StoredImage image) {
    return resource(keyOf(image));
  }

  /**
   * A stored object to serve as a file ({@link Blobs#resource}). A missing one is a {@link
   * NoSuchFileException}. Off the event loop: a stat or a GET blocks.
   */
  private Mono<Resource> resource(String key) {
    return Mono.fromCallable(() -> blobs.resource(key)).subscribeOn(Schedulers.boundedElastic());
  }

  /** The image's bytes as a stream, for a caller that copies them on (a ZIP); blocks. */
  InputStream open(StoredImage image) throws IOException {
    return blobs.open(keyOf(image));
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

  /**
   * The bytes each of these tasks' images take on disk, thumbnails included, by task id; tasks
   * without images are absent.
   */
  public Mono<Map<String, Long>> storedBytes(Collection<String> taskIds) {
    return taskIds.isEmpty() ? Mono.just(Map.of()) : repository.bytesByTask(taskIds);
  }

  /** How many images these tasks have stored, all together. */
  public Mono<Long> count(Collection<String> taskIds) {
    return Flux.fromIterable(taskIds)
        // A bounded IN list per query, however long the queue.
        .buffer(TASKS_PER_QUERY)
        .concatMap(repository::countByTasks)
        .reduce(0L, Long::sum);
  }

  /**
   * The image, if {@code scope} may open it: another user's is empty, like one that does not exist.
   */
  public Mono<StoredImage> find(String id, Scope scope) {
    return Ids.isId(id) ? repository.findById(id, scope.restrictedTo()) : Mono.empty();
  }

  /**
   * A stored image's file as it is, for an edit that sends it upstream. The read blocks: off the
   * event loop.
   */
  public Mono<byte[]> read(StoredImage image) {
    return Mono.fromCallable(() -> blobs.get(keyOf(image)))
        .subscribeOn(Schedulers.boundedElastic());
  }

  /** The images with these ids that exist and {@code scope} may open, in no particular order. */
  public Flux<StoredImage> findAll(Collection<String> ids, Scope scope) {
    return ids.isEmpty() ? Flux.empty() : repository.findByIds(ids, scope.restrictedTo());
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
                        blobs.delete(keyOf(image));
                        blobs.delete(Thumbnails.keyOf(image));
                      } catch (IOException e) {
                        throw new UncheckedIOException(
                            "cannot delete the files of image " + image.id(), e);
                      }
                    }))
        .subscribeOn(Schedulers.boundedElastic())
        .then();
  }

  /** Where the image's bytes are stored ({@link Blobs}). */
  static String keyOf(StoredImage image) {
    return "images/" + image.fileName();
  }

  private StoredImage write(
      String taskId, int index, long seed, ImageParameters parameters, byte[] bytes)
      throws IOException {
    String mimeType = sniffMimeType(bytes);
    // The size from the header, not from decoding every pixel: decoding is the thumbnail's job,
    // done after the task completes (Thumbnails).
    ImageHeader header =
        ImageHeader.read(bytes, mimeType)
            .orElseThrow(() -> new IOException("the upstream image has no readable size"));
    // The id (and so the file name) follows from the task and the index: a run killed after writing
    // the file but before inserting the row writes the same name again when resumed, instead of
    // leaving an orphan file beside a second copy (found by the crash test, CrashRecoveryTests).
    String id =
        UUID.nameUUIDFromBytes(("image:" + taskId + ":" + index).getBytes(StandardCharsets.UTF_8))
            .toString();
    StoredImage described =
        new StoredImage(
            id,
            taskId,
            index,
            seed,
            header.width(),
            header.height(),
            mimeType,
            bytes.length,
            0, // recorded when the thumbnail is made
            clock.instant().truncatedTo(ChronoUnit.MILLIS),
            parameters);
    ByteBuffer[] file = ImageMetadata.embedded(bytes, mimeType, ImageMetadata.json(described));
    // The recorded size is the file's, metadata included: it is what counts against MAX_STORAGE_GB.
    StoredImage image = described.withSizeBytes(ImageMetadata.length(file));
    blobs.put(keyOf(image), file);
    return image;
  }

  @Override
  public void destroy() {
    writes.dispose();
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
