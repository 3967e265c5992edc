package com.volcstudio;

import com.volcstudio.emulator.EmulatorMain;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class StudioApplication {

  /**
   * {@code java -jar app.jar emulator} runs the standalone VolcEngine emulator instead of the app.
   */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("emulator")) {
      EmulatorMain.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    SpringApplication.run(StudioApplication.class, args);
  }
}
