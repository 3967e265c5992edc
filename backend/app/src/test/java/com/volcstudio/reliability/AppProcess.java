package com.volcstudio.reliability;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The app as a separate JVM, so a test can kill it the way the kernel would ({@code kill -9}) and
 * start it again on the same DATA_DIR. It runs from the test class path rather than the packaged
 * jar: in {@code make test-backend} ({@code mvn verify}) the jar is built only after the tests.
 * That class path also holds the emulator module (its jar or its classes), as the packaged jar
 * does.
 */
final class AppProcess implements AutoCloseable {

  static final String APP_MAIN = "com.volcstudio.StudioApplication";

  private final Process process;
  private final int port;
  private final Path log;

  private AppProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts {@code mainClass} with the given environment (on top of a free port) and waits until it
   * is ready.
   *
   * @param jvmArgs extra JVM options, e.g. the one BlockHound needs on JDK 13+
   */
  static AppProcess start(String mainClass, Map<String, String> env, List<String> jvmArgs, Path log)
      throws Exception {
    int port = freePort();
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small heap and one JIT thread: the suite shares two cores with the rest of the build.
    command.addAll(
        List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xshare:auto"));
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", classPath(), mainClass));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    builder.environment().put("APP_HOST", "127.0.0.1");
    builder.environment().put("APP_PORT", String.valueOf(port));
    builder.environment().putIfAbsent("FRONTEND_DIR", "file:./target/no-frontend/");
    AppProcess app = new AppProcess(builder.start(), port, log);
    app.awaitReady(Duration.ofSeconds(90));
    return app;
  }

  int port() {
    return port;
  }

  /** The JVM's process id: what the app's claims of tasks are named by (with the host). */
  long pid() {
    return process.pid();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + port);
  }

  Path log() {
    return log;
  }

  /** Appends a thread dump of the app to its log: what a hung app was waiting for. */
  void threadDump() throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start()
        .waitFor();
  }

  /** SIGKILL: no shutdown hook, no graceful stop, buffers not flushed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM: Spring's graceful shutdown. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  private void awaitReady(Duration within) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(base().resolve("/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the app exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    kill();
    throw new IllegalStateException("the app was not ready within " + within + "; see " + log);
  }

  /**
   * Surefire starts tests from a manifest-only jar; the real class path is in {@code
   * surefire.test.class.path} (and in {@code java.class.path} when tests run another way).
   */
  static String classPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    String path =
        surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    if (!path.contains("test-classes")) {
      // Running from an IDE or jar without target/test-classes on the path: add the build output,
      // the app module's and the emulator module's it depends on (the working directory is app/).
      path =
          path
              + File.pathSeparator
              + Path.of("target/test-classes").toAbsolutePath()
              + File.pathSeparator
              + Path.of("target/classes").toAbsolutePath()
              + File.pathSeparator
              + Path.of("../emulator/target/classes").toAbsolutePath().normalize();
    }
    return path;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
