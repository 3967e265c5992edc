package com.volcstudio.coordination;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server for tests (issue 18): Debian's {@code redis-server} ({@code make test-setup}
 * installs it) on 127.0.0.1 and a free port, in memory only. Stopped by its own process.
 */
public final class RedisServer implements AutoCloseable {

  /** The one APP_SECRET_KEY that replicas sharing a database and this Redis must all have. */
  public static final String REPLICAS_SECRET_KEY = "c3R1ZGlvLXJlcGxpY2FzLXNoYXJlLW9uZS1rZXkhISE=";

  private final int port;
  private final Process process;

  private RedisServer(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  public static RedisServer start() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Process process;
    try {
      process =
          new ProcessBuilder(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "redis-server is not installed: `make test-setup` installs Debian's redis-server", e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return new RedisServer(port, process);
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IllegalStateException("redis-server did not start", notYet);
        }
        Thread.sleep(50);
      }
    }
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
