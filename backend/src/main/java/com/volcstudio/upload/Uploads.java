package com.volcstudio.upload;

import com.volcstudio.config.StudioProperties;
import com.volcstudio.web.Ids;
import com.volcstudio.web.RandomIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Stores, finds and reads uploads. Files are named by our own ids ({@code
 * DATA_DIR/uploads/<id>.<ext>}), never by anything a client sent, and written to a temporary name
 * first and moved into place, so a crash never leaves half a file under a real name.
 */
@Service
public class Uploads {

  private final UploadRepository repository;
  private final ImageInspector inspector;
  private final Path dir;
  private final RandomIds ids = new RandomIds();

  Uploads(UploadRepository repository, UploadProperties properties, StudioProperties studio) {
    this.repository = repository;
    this.inspector = new ImageInspector(properties.maxSide());
    this.dir = studio.dataDir().resolve("uploads");
  }

  /**
   * Checks and stores an image; the row is written after the file, so a row always has its file.
   */
  Mono<Upload> store(byte[] bytes) {
    // ImageIO decoding and file writes block: off the event loop.
    return Mono.fromCallable(
            () -> {
              ImageInspector.Inspected image = inspector.inspect(bytes);
              Upload upload =
                  new Upload(
                      ids.next(),
                      image.type().mimeType(),
                      image.width(),
                      image.height(),
                      bytes.length,
                      UploadRepository.now());
              write(upload.fileName(), bytes);
              return upload;
            })
        .subscribeOn(Schedulers.boundedElastic())
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
                    .insert(upload)
                    .thenReturn(upload)
                    .onErrorResume(
                        e ->
                            Mono.fromRunnable(() -> deleteQuietly(upload))
                                .subscribeOn(Schedulers.boundedElastic())
                                .then(Mono.error(e))));
  }

  /** An upload by id; empty for an unknown or malformed id. */
  public Mono<Upload> find(String id) {
    return Ids.isId(id) ? repository.findById(id) : Mono.empty();
  }

  /** The uploads among {@code ids} that exist, by id; malformed ids are simply absent. */
  public Mono<Map<String, Upload>> findAll(Collection<String> ids) {
    return repository
        .findAll(ids.stream().filter(Ids::isId).distinct().toList())
        .collect(Collectors.toMap(Upload::uploadId, Function.identity()));
  }

  /** The file of an upload. */
  Path file(Upload upload) {
    return dir.resolve(upload.fileName());
  }

  /** An upload's image as an upstream takes it (WebP re-encoded as PNG). */
  public Mono<ReferenceImage> forUpstream(String id) {
    return find(id)
        .switchIfEmpty(
            Mono.error(
                () -> new IllegalStateException("reference image " + id + " no longer exists")))
        // File read and a possible WebP decode block: off the event loop.
        .flatMap(
            upload ->
                Mono.fromCallable(
                        () -> {
                          ImageType type = ImageType.ofMimeType(upload.mimeType());
                          byte[] bytes =
                              ImageInspector.asPngOrJpeg(type, Files.readAllBytes(file(upload)));
                          return new ReferenceImage(
                              type == ImageType.JPEG
                                  ? ImageType.JPEG.mimeType()
                                  : ImageType.PNG.mimeType(),
                              bytes);
                        })
                    .subscribeOn(Schedulers.boundedElastic()));
  }

  private void write(String name, byte[] bytes) {
    try {
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".incoming-", ".tmp");
      try {
        Files.write(temp, bytes);
        Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the upload", e);
    }
  }

  private void deleteQuietly(Upload upload) {
    try {
      Files.deleteIfExists(file(upload));
    } catch (IOException e) {
      // The row was never written, so the file is unreachable either way; nothing more to do.
    }
  }
}
