package com.volcstudio;

import com.volcstudio.database.MoveUpCommand;
import com.volcstudio.storage.ObjectsMoveUp;
import com.volcstudio.storage.S3Properties;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code java -jar volc-image-studio.jar move-up} (and {@code make move-up}), the way to grow
 * (issue 18): a single-node studio's database into the PostgreSQL of DATABASE_URL ({@link
 * MoveUpCommand}), then, with S3_BUCKET set, its images, thumbnails and uploads into that bucket
 * ({@link ObjectsMoveUp}). Each part can be run again after a failure and does only what is left.
 */
public final class MoveUp {

  private MoveUp() {}

  /**
   * @return the process's exit code: 0 copied and verified, 1 refused or failed (the reason
   *     printed), 2 bad usage
   */
  public static int run(Map<String, String> env, PrintStream out, PrintStream err) {
    int rows = MoveUpCommand.run(env, out, err);
    if (rows != 0) {
      return rows;
    }
    S3Properties bucket;
    try {
      bucket = ObjectsMoveUp.settings(env);
      if (bucket != null && !ObjectsMoveUp.run(MoveUpCommand.dataDir(env), bucket, out, err)) {
        return 1;
      }
    } catch (IOException | RuntimeException e) {
      err.println("move-up failed copying the files into the bucket: " + e.getMessage());
      return 1;
    }
    out.println(
        bucket == null
            ? "Moved up: every table is in PostgreSQL. Start the studio with DATABASE_URL,"
                + " DATABASE_USERNAME and DATABASE_PASSWORD set and the same DATA_DIR (images,"
                + " thumbnails, uploads and secret.key stay there)."
            : "Moved up: every table is in PostgreSQL and every image, thumbnail and upload in"
                + " the bucket. Start the studio with the same DATABASE_* and S3_* settings and"
                + " the same APP_SECRET_KEY (or DATA_DIR's secret.key); the files in DATA_DIR are"
                + " left as they were.");
    return 0;
  }
}
