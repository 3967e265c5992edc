package com.volcstudio.backup;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar volc-image-studio.jar restore FILE} (and {@code make restore FILE=…}): checks
 * the whole archive, then restores it into {@code DATA_DIR} (the environment's, default {@code
 * ./data}), which must hold no database yet. Runs without the app: nothing is served meanwhile.
 */
public final class RestoreCommand {

  private RestoreCommand() {}

  /**
   * @return the process's exit code: 0 restored, 1 refused (the reason printed), 2 bad usage
   */
  public static int run(String[] args, java.util.Map<String, String> env) {
    if (args.length != 1) {
      System.err.println(
          "usage: java -jar volc-image-studio.jar restore BACKUP.zip  (into DATA_DIR)");
      return 2;
    }
    Path archive = Path.of(args[0]).toAbsolutePath();
    String configured = env.get("DATA_DIR");
    Path dataDir =
        Path.of(configured == null || configured.isBlank() ? "./data" : configured)
            .toAbsolutePath();
    if (!Files.isRegularFile(archive)) {
      System.err.println("restore refused: " + archive + " is not a file");
      return 1;
    }
    try {
      BackupArchive.Manifest manifest = BackupArchive.restore(archive, dataDir);
      System.out.println(
          "Restored "
              + archive
              + " into "
              + dataDir
              + ": "
              + BackupArchive.sorted(manifest.counts())
              + (manifest.masterKey()
                  ? ", with the master key"
                  : "; no master key in it: set APP_SECRET_KEY to the old one, or enter the provider"
                      + " keys again"));
      return 0;
    } catch (BackupRejectedException e) {
      System.err.println("restore refused: " + e.getMessage());
      return 1;
    } catch (java.io.IOException e) {
      System.err.println("restore failed: " + e);
      return 1;
    }
  }
}
