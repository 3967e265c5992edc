package com.volcstudio.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The backup file: a zip holding {@code manifest.json}, {@code database.zip} (H2's own {@code
 * BACKUP} of the database), and the files of {@code images/}, {@code thumbnails/} and {@code
 * uploads/} (and {@code secret.key} only when asked for). The manifest lists every other entry with
 * its size and SHA-256, and counts each kind; a restore checks all of it before it writes anything.
 * Plain blocking file work: callers on an event loop move it to another thread.
 */
final class BackupArchive {

  static final int FORMAT = 1;
  static final String MANIFEST = "manifest.json";
  static final String DATABASE = "database.zip";
  static final String MASTER_KEY = "secret.key";

  /** The folders of DATA_DIR that a backup holds, besides the database. */
  static final List<String> FOLDERS = List.of("images", "thumbnails", "uploads");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One file in the archive. */
  record Entry(String path, long bytes, String sha256) {}

  /**
   * What the archive holds.
   *
   * @param counts files per folder of DATA_DIR, and {@code database} (1)
   * @param masterKey whether {@code secret.key} is in it
   */
  record Manifest(
      int format,
      String createdAt,
      String version,
      Map<String, Integer> counts,
      boolean masterKey,
      List<Entry> files) {}

  private BackupArchive() {}

  /**
   * Writes the archive to {@code target} (through a temporary file beside it, so a failed backup
   * leaves no partial file under the final name).
   *
   * @param database H2's backup of the database, taken before the files are listed: every image a
   *     task in it refers to was on disk before its row was committed
   */
  static Manifest write(
      Path database, Path dataDir, Path target, String version, boolean withMasterKey)
      throws IOException {
    List<Entry> entries = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    Path partial = target.resolveSibling(".partial-" + UUID.randomUUID() + ".zip");
    try {
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
        entries.add(add(zip, DATABASE, database));
        counts.put("database", 1);
        for (String folder : FOLDERS) {
          int count = 0;
          for (Path file : filesIn(dataDir.resolve(folder))) {
            Entry entry = addIfPresent(zip, folder + "/" + file.getFileName(), file);
            if (entry != null) {
              entries.add(entry);
              count++;
            }
          }
          counts.put(folder, count);
        }
        Path key = dataDir.resolve(MASTER_KEY);
        boolean masterKey = withMasterKey && Files.isRegularFile(key);
        if (masterKey) {
          entries.add(add(zip, MASTER_KEY, key));
        }
        Manifest manifest =
            new Manifest(
                FORMAT, Instant.now().toString(), version, counts, masterKey, List.copyOf(entries));
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        zip.closeEntry();
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        return manifest;
      }
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /**
   * Checks the whole archive: it opens as a zip, has a manifest of this format, and holds exactly
   * the files the manifest lists, each with its size and checksum.
   */
  static Manifest verify(Path archive) {
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      ZipEntry manifestEntry = zip.getEntry(MANIFEST);
      if (manifestEntry == null) {
        throw new BackupRejectedException(
            archive + " has no " + MANIFEST + ": not a studio backup");
      }
      Manifest manifest;
      try (InputStream in = zip.getInputStream(manifestEntry)) {
        manifest = JSON.readValue(in, Manifest.class);
      } catch (JacksonException e) {
        throw new BackupRejectedException(archive + ": its " + MANIFEST + " cannot be read", e);
      }
      if (manifest.format() != FORMAT) {
        throw new BackupRejectedException(
            archive + " is backup format " + manifest.format() + "; this version reads " + FORMAT);
      }
      Set<String> listed = new java.util.HashSet<>();
      for (Entry expected : manifest.files()) {
        listed.add(expected.path());
        ZipEntry entry = zip.getEntry(expected.path());
        if (entry == null) {
          throw new BackupRejectedException(archive + " is missing " + expected.path());
        }
        Entry found;
        try (InputStream in = zip.getInputStream(entry)) {
          found = digest(expected.path(), in, OutputStream.nullOutputStream());
        }
        if (found.bytes() != expected.bytes() || !found.sha256().equals(expected.sha256())) {
          throw new BackupRejectedException(
              archive + ": " + expected.path() + " is not the file that was backed up (checksum)");
        }
      }
      if (!listed.contains(DATABASE)) {
        throw new BackupRejectedException(archive + " holds no database");
      }
      var extra =
          zip.stream()
              .map(ZipEntry::getName)
              .filter(name -> !name.equals(MANIFEST) && !listed.contains(name))
              .findFirst();
      if (extra.isPresent()) {
        throw new BackupRejectedException(
            archive + " holds " + extra.get() + ", not in its manifest");
      }
      return manifest;
    } catch (IOException e) {
      throw new BackupRejectedException(
          archive + " cannot be read as a zip (damaged or cut short): " + e.getMessage(), e);
    }
  }

  /**
   * Restores a verified archive into {@code dataDir}, which must hold no database yet: everything
   * is unpacked beside it first and moved into place only when all of it was written.
   */
  static Manifest restore(Path archive, Path dataDir) throws IOException {
    if (Files.exists(dataDir.resolve("db").resolve("studio.mv.db"))) {
      throw new BackupRejectedException(
          dataDir + " already holds a database; restore into an empty DATA_DIR");
    }
    Manifest manifest = verify(archive);
    Files.createDirectories(dataDir);
    Path staging = Files.createTempDirectory(dataDir, ".restore-");
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      for (Entry entry : manifest.files()) {
        if (entry.path().equals(DATABASE)) {
          unpackDatabase(zip.getInputStream(zip.getEntry(DATABASE)), staging.resolve("db"));
        } else {
          Path to = inside(staging, entry.path());
          Files.createDirectories(to.getParent());
          Files.copy(zip.getInputStream(zip.getEntry(entry.path())), to);
        }
      }
      for (String name : List.of("db", "images", "thumbnails", "uploads", MASTER_KEY)) {
        Path from = staging.resolve(name);
        Path to = dataDir.resolve(name);
        if (!Files.exists(from)) {
          continue;
        }
        if (Files.isDirectory(from) && Files.isDirectory(to)) {
          try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
              Files.move(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
          }
        } else {
          Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } finally {
      deleteTree(staging);
    }
    return manifest;
  }

  private static void unpackDatabase(InputStream in, Path dbDir) throws IOException {
    Files.createDirectories(dbDir);
    try (ZipInputStream database = new ZipInputStream(in)) {
      for (ZipEntry entry = database.getNextEntry();
          entry != null;
          entry = database.getNextEntry()) {
        if (!entry.isDirectory()) {
          Files.copy(database, inside(dbDir, entry.getName()));
        }
      }
    }
    if (!Files.exists(dbDir.resolve("studio.mv.db"))) {
      throw new BackupRejectedException("the archive's database holds no studio.mv.db");
    }
  }

  /** A path inside {@code dir}; a name that would lead out of it is refused (zip slip). */
  private static Path inside(Path dir, String name) {
    Path resolved = dir.resolve(name).normalize();
    if (!resolved.startsWith(dir.normalize())) {
      throw new BackupRejectedException("the archive names a file outside DATA_DIR: " + name);
    }
    return resolved;
  }

  private static Entry add(ZipOutputStream zip, String name, Path file) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    try (InputStream in = Files.newInputStream(file)) {
      Entry entry = digest(name, in, zip);
      zip.closeEntry();
      return entry;
    }
  }

  /** A file deleted since it was listed (retention, a user's delete) is left out. */
  private static @Nullable Entry addIfPresent(ZipOutputStream zip, String name, Path file)
      throws IOException {
    InputStream in;
    try {
      in = Files.newInputStream(file);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
    try (in) {
      zip.putNextEntry(new ZipEntry(name));
      Entry entry = digest(name, in, zip);
      zip.closeEntry();
      return entry;
    }
  }

  private static Entry digest(String name, InputStream in, OutputStream out) throws IOException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long bytes;
    try (DigestInputStream digesting = new DigestInputStream(in, sha256)) {
      bytes = digesting.transferTo(out);
    }
    return new Entry(name, bytes, HexFormat.of().formatHex(sha256.digest()));
  }

  /** Regular files of a folder, by name; none if it does not exist. Temp files are left out. */
  private static List<Path> filesIn(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** Counts in a stable order, for messages. */
  static Map<String, Integer> sorted(Map<String, Integer> counts) {
    return new TreeMap<>(counts);
  }
}
