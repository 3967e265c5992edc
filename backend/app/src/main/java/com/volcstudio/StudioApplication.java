package com.volcstudio;

import com.volcstudio.backup.RestoreCommand;
import com.volcstudio.emulator.EmulatorMain;
import java.util.Arrays;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;

@SpringBootApplication
@ConfigurationPropertiesScan
public class StudioApplication {

  /**
   * The first bean the context makes, so asking for the migrations here starts them first thing:
   * they run on a thread of their own (database.StartupMigration) while every other bean is made.
   */
  StudioApplication(ObjectProvider<FlywayMigrationInitializer> migrations) {
    migrations.getIfAvailable();
  }

  /**
   * {@code java -jar app.jar emulator} runs the standalone VolcEngine emulator instead of the app;
   * {@code java -jar app.jar restore FILE} restores a backup into DATA_DIR; {@code java -jar
   * app.jar move-up} copies DATA_DIR's database into the PostgreSQL of DATABASE_URL.
   */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("emulator")) {
      EmulatorMain.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("move-up")) {
      System.exit(MoveUp.run(System.getenv(), System.out, System.err));
    }
    if (args.length > 0 && args[0].equals("restore")) {
      System.exit(RestoreCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv()));
    }
    SpringApplication.run(StudioApplication.class, args);
  }
}
