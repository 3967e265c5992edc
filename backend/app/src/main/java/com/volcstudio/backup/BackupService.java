package com.volcstudio.backup;

import com.volcstudio.config.StudioProperties;
import com.volcstudio.database.DatabaseFile;
import com.volcstudio.database.Dialect;
import com.volcstudio.storage.Blobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Backs up the running studio into {@code BACKUP_DIR} (default {@code DATA_DIR/backups}): first the
 * database as of one moment, then the files; an image is written before its task's row is
 * committed, so every finished task in the snapshot finds its images. Tasks still running in the
 * snapshot resume after a restore, as after a restart.
 */
@Service
public class BackupService {

  private static final Logger log = LoggerFactory.getLogger(BackupService.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern NAME = Pattern.compile("studio-backup-\\d{8}-\\d{6}(-\\d+)?\\.zip");

  /** A backup file in BACKUP_DIR. */
  public record BackupFile(String name, long bytes, Instant createdAt) {}

  /** A backup just taken: its file, and what its manifest counts. */
  public record Created(
      String name, long bytes, Instant createdAt, Map<String, Integer> counts, boolean masterKey) {}

  private final Dialect dialect;
  private final Blobs blobs;
  private final DatabaseFile database;
  private final Path dataDir;
  private final Path dir;
  private final String version;

  BackupService(
      DatabaseFile database,
      Dialect dialect,
      Blobs blobs,
      StudioProperties studio,
      ObjectProvider<BuildProperties> build) {
    this.database = database;
    this.blobs = blobs;
    this.dialect = dialect;
    this.dataDir = studio.dataDir();
    this.dir = studio.backupDir();
    BuildProperties info = build.getIfAvailable();
    this.version = info == null ? "dev" : info.getVersion();
  }

  /** Takes a backup; {@code withMasterKey} adds {@code secret.key} (see the README). */
  public Mono<Created> create(boolean withMasterKey) {
    if (!dialect.h2()) {
      // The database is a server's (DATABASE_URL): pg_dump backs it up, the studio's files are in
      // DATA_DIR (or S3) for the operator's own copies.
      return Mono.error(
          new ErrorResponseException(
              HttpStatus.CONFLICT,
              ProblemDetail.forStatusAndDetail(
                  HttpStatus.CONFLICT,
                  "The database is PostgreSQL (DATABASE_URL): back it up with pg_dump, and DATA_DIR"
                      + " with any file copy; studio backups are for the H2 file."),
              null));
    }
    if (blobs.remote()) {
      // A backup reads the files under DATA_DIR; these are in the bucket, and an archive of the
      // database without them would restore tasks whose images are wherever the bucket is then.
      return Mono.error(
          new ErrorResponseException(
              HttpStatus.CONFLICT,
              ProblemDetail.forStatusAndDetail(
                  HttpStatus.CONFLICT,
                  "Images, thumbnails and uploads are in the S3 bucket (S3_BUCKET): back the bucket"
                      + " up with its own tools (versioning, replication) and DATA_DIR with any"
                      + " file copy while the studio is stopped; studio backups are for files"
                      + " under DATA_DIR."),
              null));
    }
    // Mono.using, eager: the database snapshot is deleted before the answer goes out, so nobody
    // who reads the folder after the answer finds it (doFinally ran after it; HostileInputTests
    // saw the file vanish under a later request once).
    return Mono.using(
        () -> dir.resolve(".database-" + UUID.randomUUID() + ".zip"),
        snapshot ->
            Mono.fromCallable(() -> Files.createDirectories(dir))
                // Creating folders and, below, reading and writing files block: not on the event
                // loop.
                .subscribeOn(Schedulers.boundedElastic())
                .then(database.backupTo(snapshot))
                .then(
                    Mono.fromCallable(() -> write(snapshot, withMasterKey))
                        .subscribeOn(Schedulers.boundedElastic())),
        snapshot -> {
          try {
            Files.deleteIfExists(snapshot);
          } catch (IOException e) {
            log.warn("could not delete {}", snapshot, e);
          }
        },
        true);
  }

  private Created write(Path snapshot, boolean withMasterKey) throws IOException {
    Instant now = Instant.now();
    Path target = dir.resolve("studio-backup-" + STAMP.format(now) + ".zip");
    for (int i = 2; Files.exists(target); i++) {
      target = dir.resolve("studio-backup-" + STAMP.format(now) + "-" + i + ".zip");
    }
    BackupArchive.Manifest manifest =
        BackupArchive.write(snapshot, dataDir, target, version, withMasterKey);
    log.info("Backup {} written: {}", target, manifest.counts());
    return new Created(
        target.getFileName().toString(),
        Files.size(target),
        Instant.parse(manifest.createdAt()),
        manifest.counts(),
        manifest.masterKey());
  }

  /** The backups in BACKUP_DIR, newest first. */
  public Mono<List<BackupFile>> list() {
    return Mono.fromCallable(
            () -> {
              if (!Files.isDirectory(dir)) {
                return List.<BackupFile>of();
              }
              try (Stream<Path> files = Files.list(dir)) {
                return files
                    .filter(f -> NAME.matcher(f.getFileName().toString()).matches())
                    .map(BackupService::describe)
                    .flatMap(Optional::stream)
                    .sorted((a, b) -> b.createdAt().compareTo(a.createdAt()))
                    .toList();
              }
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  /** The file of a backup by its name; empty for a name that is not one of ours. */
  public Mono<Path> file(String name) {
    if (!NAME.matcher(name).matches()) {
      return Mono.empty();
    }
    Path file = dir.resolve(name);
    // Asking the file system blocks: not on the event loop.
    return Mono.fromCallable(() -> Files.isRegularFile(file) ? file : null)
        .subscribeOn(Schedulers.boundedElastic());
  }

  private static Optional<BackupFile> describe(Path file) {
    try {
      return Optional.of(
          new BackupFile(
              file.getFileName().toString(),
              Files.size(file),
              Files.getLastModifiedTime(file).toInstant()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
