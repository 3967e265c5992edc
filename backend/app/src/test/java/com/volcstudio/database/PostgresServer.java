package com.volcstudio.database;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests (issue 18): Debian's binaries ({@code make test-setup}
 * installs them), a fresh cluster in a temporary directory, on 127.0.0.1 and a free port, without
 * fsync. PostgreSQL refuses to run as root, so as root the server runs as the {@code postgres}
 * user. Stopped by its own process.
 */
public final class PostgresServer implements AutoCloseable {

  private final Path bin;
  private final boolean root;
  private final Path dir;
  private final int port;
  private final Process process;

  private PostgresServer(Path bin, boolean root, Path dir, int port, Process process) {
    this.bin = bin;
    this.root = root;
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Starts a server and makes the database {@code database} in it (user {@code postgres}). */
  public static PostgresServer start(String database) throws Exception {
    Path bin = binaries();
    Path dir = Files.createTempDirectory("volc-studio-pg-");
    Path data = dir.resolve("data");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      run(List.of("chown", "postgres", dir.toString()));
    }
    run(
        asServerUser(
            root,
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions"));
    int port = freePort();
    Process process =
        new ProcessBuilder(
                asServerUser(
                    root,
                    bin.resolve("postgres").toString(),
                    "-D",
                    data.toString(),
                    "-p",
                    Integer.toString(port),
                    "-k",
                    dir.toString(),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off",
                    "-c",
                    "shared_buffers=32MB",
                    "-c",
                    "max_connections=60"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    PostgresServer server = new PostgresServer(bin, root, dir, port, process);
    server.awaitReady();
    try (Connection connection = server.connect("postgres");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    }
    return server;
  }

  public int port() {
    return port;
  }

  /** The setting DATABASE_URL for {@code database}. */
  public String r2dbcUrl(String database) {
    return "r2dbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Connection connection = connect("postgres")) {
        return;
      } catch (SQLException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "PostgreSQL did not start: " + Files.readString(dir.resolve("server.log")), notYet);
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * Stops the server (pg_ctl's fast shutdown, by the server's own pid file: as root the process
   * started here is runuser, which does not pass a signal on) and removes its files.
   */
  @Override
  public void close() throws Exception {
    try {
      run(
          asServerUser(
              root,
              bin.resolve("pg_ctl").toString(),
              "stop",
              "-D",
              dir.resolve("data").toString(),
              "-m",
              "fast",
              "-w"));
    } finally {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private static Path binaries() throws IOException {
    Path versions = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(versions)) {
      try (Stream<Path> each = Files.list(versions)) {
        var newest =
            each.map(v -> v.resolve("bin"))
                .filter(b -> Files.isExecutable(b.resolve("initdb")))
                .max(
                    Comparator.comparing(
                        b ->
                            Integer.parseInt(
                                b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        if (newest.isPresent()) {
          return newest.get();
        }
      }
    }
    throw new IllegalStateException(
        "PostgreSQL's server is not installed (/usr/lib/postgresql/*/bin): `make test-setup`"
            + " installs Debian's postgresql package");
  }

  private static List<String> asServerUser(boolean root, String... command) {
    List<String> line = new ArrayList<>();
    if (root) {
      line.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    line.addAll(List.of(command));
    return line;
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
