package com.volcstudio.upload;

import com.volcstudio.account.Scope;
import com.volcstudio.storage.Blobs;
import com.volcstudio.web.Ids;
import com.volcstudio.web.NotFoundException;
import com.volcstudio.web.RandomIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Stores, finds and reads uploads. Files are named by our own ids ({@code
 * DATA_DIR/uploads/<id>.<ext>}), never by anything a client sent, and written to a temporary name
 * first and moved into place, so a crash never leaves half a file under a real name.
 */
@Service
public class Uploads implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(Uploads.class);

  /** What the uploads take: how many, and their bytes as uploaded. */
  public record Usage(long uploads, long bytes) {}

  /** What a cleanup removed. */
  public record Removed(int uploads, long bytes) {

    static final Removed NOTHING = new Removed(0, 0);

    Removed plus(Upload upload) {
      return new Removed(uploads + 1, bytes + upload.sizeBytes());
    }
  }

  /**
   * Uploads whose pixels are checked or decoded at the same time. Each may take up to
   * UPLOAD_MAX_DECODED_MB while it runs, so this, not the number of requests, bounds that memory;
   * and each takes a core.
   */
  static final int DECODING_THREADS = 2;

  /**
   * Uploads that may wait for those threads; more are refused (503) rather than each holding its
   * body in memory while it waits.
   */
  static final int DECODING_QUEUE = 32;

  private final UploadRepository repository;
  private final UploadReferences references;
  private final ImageInspector inspector;
  private final Blobs blobs;
  private final RandomIds ids = new RandomIds();
  private final Scheduler decoding =
      Schedulers.newBoundedElastic(DECODING_THREADS, DECODING_QUEUE, "upload-decode", 60, true);

  Uploads(
      UploadRepository repository,
      UploadReferences references,
      UploadProperties properties,
      Blobs blobs) {
    this.repository = repository;
    this.references = references;
    this.inspector = new ImageInspector(properties);
    this.blobs = blobs;
  }

  @Override
  public void destroy() {
    decoding.dispose();
  }

  ImageInspector inspector() {
    return inspector;
  }

  /**
   * Checks and stores an image; the row is written after the file, so a row always has its file.
   */
  Mono<Upload> store(byte[] bytes, String owner) {
    // Inflating or decoding pixels is blocking CPU work: on the few decoding threads, off the event
    // loop; the file write blocks too, on boundedElastic.
    return Mono.fromCallable(() -> inspector.inspect(bytes))
        .subscribeOn(decoding)
        .onErrorMap(RejectedExecutionException.class, e -> busy())
        .publishOn(Schedulers.boundedElastic())
        .map(
            image -> {
              Upload upload =
                  new Upload(
                      ids.next(),
                      image.type().mimeType(),
                      image.width(),
                      image.height(),
                      image.bytes().length,
                      UploadRepository.now());
              write(upload.fileName(), image.bytes());
              return upload;
            })
        .onErrorMap(
            UncheckedIOException.class,
            e ->
                new ErrorResponseException(
                    HttpStatus.INSUFFICIENT_STORAGE,
                    ProblemDetail.forStatusAndDetail(
                        HttpStatus.INSUFFICIENT_STORAGE,
                        "The upload could not be written to DATA_DIR (disk full or not writable)."),
                    e))
        .flatMap(
            upload ->
                repository
                    .insert(upload, owner)
                    .thenReturn(upload)
                    .onErrorResume(
                        e ->
                            Mono.fromRunnable(() -> deleteQuietly(upload))
                                .subscribeOn(Schedulers.boundedElastic())
                                .then(Mono.error(e))));
  }

  /**
   * An upload by id, if {@code scope} may open it; empty for an unknown or malformed id and for
   * another user's, alike.
   */
  public Mono<Upload> find(String id, Scope scope) {
    return Ids.isId(id) ? repository.findById(id, scope.restrictedTo()) : Mono.empty();
  }

  /**
   * The uploads among {@code ids} that exist and {@code scope} may open, by id; malformed ids are
   * simply absent.
   */
  public Mono<Map<String, Upload>> findAll(Collection<String> ids, Scope scope) {
    return repository
        .findAll(ids.stream().filter(Ids::isId).distinct().toList(), scope.restrictedTo())
        .collect(Collectors.toMap(Upload::uploadId, Function.identity()));
  }

  /** Where an upload's bytes are stored ({@link Blobs}). */
  private static String keyOf(Upload upload) {
    return "uploads/" + upload.fileName();
  }

  /** The upload to serve; off the event loop, a stat or a GET blocks. */
  Mono<Resource> resource(Upload upload) {
    return Mono.fromCallable(() -> blobs.resource(keyOf(upload)))
        .subscribeOn(Schedulers.boundedElastic());
  }

  /** An upload's image as an upstream takes it (WebP re-encoded as PNG, metadata removed). */
  public Mono<ReferenceImage> forUpstream(String id) {
    return find(id, Scope.EVERYTHING)
        .switchIfEmpty(Mono.error(() -> new ReferenceImageGoneException(id)))
        // The file read blocks, and a WebP is decoded: off the event loop, a WebP on the decoding
        // threads, which bound how many are decoded at once.
        .flatMap(
            upload -> {
              ImageType type = ImageType.ofMimeType(upload.mimeType());
              return Mono.fromCallable(
                      () ->
                          new ReferenceImage(
                              type == ImageType.JPEG
                                  ? ImageType.JPEG.mimeType()
                                  : ImageType.PNG.mimeType(),
                              inspector.forUpstream(type, blobs.get(keyOf(upload)))))
                  .subscribeOn(type == ImageType.WEBP ? decoding : Schedulers.boundedElastic());
            });
  }

  /**
   * An upload used as an edit's mask, converted to what the services take ({@link MaskImage}); on
   * the decoding threads, which bound how many images are decoded at once.
   */
  public Mono<ReferenceImage> maskForUpstream(String id) {
    return forUpstream(id)
        .flatMap(
            image ->
                Mono.fromCallable(
                        () ->
                            new ReferenceImage(
                                ImageType.PNG.mimeType(), MaskImage.toUpstream(image.bytes())))
                    .subscribeOn(decoding));
  }

  /**
   * Deletes an upload, row first and then its file, so nothing ever points at a missing file.
   * Refused (409) while a pending or running task will still send it ({@link UploadReferences},
   * asked right before the delete); tasks that have ended do not hold it (their images do not need
   * it, and a retry of one then fails as {@link ReferenceImageGoneException} says).
   */
  Mono<Void> delete(String id, Scope scope) {
    return find(id, scope)
        .switchIfEmpty(Mono.error(() -> new NotFoundException("upload", id)))
        .flatMap(
            upload ->
                references
                    .heldByUnfinishedTask(id)
                    .flatMap(
                        held ->
                            held
                                ? Mono.error(new UploadInUseException(id))
                                : repository
                                    .delete(id)
                                    .flatMap(
                                        deleted ->
                                            deleted
                                                ? deleteFile(upload)
                                                // Deleted by someone else meanwhile.
                                                : Mono.error(
                                                    new NotFoundException("upload", id)))));
  }

  /**
   * Removes the uploads created before {@code cutoff} that no task names among its references,
   * whatever the task's state; each row goes before its file, and pending and running tasks are
   * asked again just before, so one queued meanwhile keeps its upload.
   */
  public Mono<Removed> removeUnreferenced(Instant cutoff) {
    return references
        .namedByAnyTask()
        .flatMap(
            keep ->
                repository
                    .createdBefore(cutoff)
                    .filter(upload -> !keep.contains(upload.uploadId()))
                    .collectList())
        .flatMapMany(Flux::fromIterable)
        .concatMap(
            upload -> deleteUnlessHeld(upload).filter(Boolean::booleanValue).map(deleted -> upload))
        .reduce(Removed.NOTHING, Removed::plus);
  }

  /**
   * Deletes the row and then the file, unless a pending or running task names the upload (it reads
   * it again when it reaches the upstream). The tasks are asked right before the delete; a task
   * retried in between, like a submit checked just before the delete and stored just after, finds
   * its upload gone when it runs and fails plainly, as {@link ReferenceImageGoneException} says.
   *
   * @return whether this deleted it
   */
  private Mono<Boolean> deleteUnlessHeld(Upload upload) {
    String id = upload.uploadId();
    return references
        .heldByUnfinishedTask(id)
        .flatMap(
            held ->
                held
                    ? Mono.just(false)
                    : repository
                        .delete(id)
                        .flatMap(
                            deleted ->
                                deleted ? deleteFile(upload).thenReturn(true) : Mono.just(false)));
  }

  /** Counted from the rows, like the images: no walk over DATA_DIR. */
  public Mono<Usage> usage() {
    return repository.usage();
  }

  /**
   * After the row: a file that cannot be removed is a stray file, logged, never a row without its
   * file.
   */
  private Mono<Void> deleteFile(Upload upload) {
    // File deletion blocks: off the event loop.
    return Mono.<Void>fromRunnable(
            () -> {
              try {
                blobs.delete(keyOf(upload));
              } catch (IOException e) {
                log.warn(
                    "upload {}: row deleted, file left behind: {}",
                    upload.uploadId(),
                    e.toString());
              }
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  private static ErrorResponseException busy() {
    ProblemDetail problem =
        UploadRejectedException.problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            "Too many uploads at once",
            "too many uploads are being checked right now; send it again in a few seconds");
    ErrorResponseException e =
        new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
    e.getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
    return e;
  }

  private void write(String name, byte[] bytes) {
    try {
      blobs.put("uploads/" + name, ByteBuffer.wrap(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the upload", e);
    }
  }

  private void deleteQuietly(Upload upload) {
    try {
      blobs.delete(keyOf(upload));
    } catch (IOException e) {
      // The row was never written, so the file is unreachable either way; nothing more to do.
    }
  }
}
