package com.volcstudio.emulator;

/**
 * Runs the emulator on its own, in the foreground ({@code make emulator}). Settings come from
 * {@code EMULATOR_*} environment variables; the credentials to configure in the app are printed.
 */
public final class EmulatorMain {

  private EmulatorMain() {}

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    EmulatorSettings settings = EmulatorSettings.fromEnvironment(System.getenv());
    VolcEmulator emulator = VolcEmulator.start(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
    System.out.printf(
        """
        VolcEngine emulator ready on %s
          VOLC_ENDPOINT=%s
          VOLC_ACCESS_KEY=%s
          VOLC_SECRET_KEY=%s
          ARK_ENDPOINT=%s/api/v3
          ARK_API_KEY=%s
        Faults and statistics: %s/_emulator/faults, %s/_emulator/stats
        (Ctrl+C stops it)%n""",
        emulator.endpoint(),
        emulator.endpoint(),
        settings.accessKey(),
        settings.secretKey(),
        emulator.endpoint(),
        settings.arkApiKey(),
        emulator.endpoint(),
        emulator.endpoint());
    emulator.awaitShutdown();
  }
}
