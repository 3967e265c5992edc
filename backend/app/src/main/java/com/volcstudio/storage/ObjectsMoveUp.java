package com.volcstudio.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The objects' part of {@code move-up} (issue 18): the images, thumbnails and uploads of DATA_DIR
 * copied into the bucket of S3_BUCKET under the same keys. An object already there with the file's
 * checksum is left as it is, so a run cut short is simply run again; every object is checked
 * against its file's MD5 (the ETag of a single-part upload) after it is written. The files stay.
 */
public final class ObjectsMoveUp {

  static final List<String> FOLDERS = List.of("images", "thumbnails", "uploads");

  private ObjectsMoveUp() {}

  /** S3_* from the environment; null when S3_BUCKET is empty (nothing to move). */
  public static @Nullable S3Properties settings(Map<String, String> env) {
    String bucket = env.getOrDefault("S3_BUCKET", "");
    if (bucket.isBlank()) {
      return null;
    }
    return new S3Properties(
        env.get("S3_ENDPOINT"),
        env.getOrDefault("S3_REGION", "us-east-1"),
        bucket,
        env.get("S3_ACCESS_KEY"),
        env.get("S3_SECRET_KEY"),
        Boolean.parseBoolean(env.getOrDefault("S3_PATH_STYLE", "false")),
        S3Properties.MIN_CACHE_MB);
  }

  /**
   * Copies and verifies; prints each folder's files, new objects and verified ones.
   *
   * @return whether every file is in the bucket with its checksum
   */
  public static boolean run(Path dataDir, S3Properties settings, PrintStream out, PrintStream err)
      throws IOException {
    boolean verified = true;
    // The move reads files, not the cache; it only needs the folder the studio would use.
    try (S3Blobs bucket = new S3Blobs(settings, S3Blobs.cacheDir(dataDir))) {
      for (String folder : FOLDERS) {
        Path dir = dataDir.resolve(folder);
        if (!Files.isDirectory(dir)) {
          continue;
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
          // Half-written temporary files of a crash are nobody's image.
          files =
              listed
                  .filter(Files::isRegularFile)
                  .filter(f -> !f.getFileName().toString().startsWith("."))
                  .sorted()
                  .toList();
        }
        long added = 0;
        long checked = 0;
        for (Path file : files) {
          String key = folder + "/" + file.getFileName();
          String md5 = md5(file);
          if (!md5.equals(etag(bucket, key))) {
            bucket.put(key, ByteBuffer.wrap(Files.readAllBytes(file)));
            added++;
          }
          if (md5.equals(etag(bucket, key))) {
            checked++;
          } else {
            err.println("move-up: " + key + " in the bucket does not match its file");
            verified = false;
          }
        }
        out.printf(
            "%-18s %,9d files, %,9d new objects, %,9d verified in the bucket%n",
            folder, files.size(), added, checked);
      }
    }
    return verified;
  }

  private static String etag(S3Blobs bucket, String key) throws IOException {
    try {
      return bucket.etag(key);
    } catch (NoSuchFileException absent) {
      return "";
    }
  }

  private static String md5(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("MD5");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
