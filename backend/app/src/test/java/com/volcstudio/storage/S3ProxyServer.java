package com.volcstudio.storage;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * s3proxy (issue 18's S3 test server: S3-compatible, it checks SigV4 signatures) with its
 * file-system back end in a temporary directory, on 127.0.0.1 and a free port, as a process of its
 * own from the jar the build copies to target/s3proxy. Stopped by its own process.
 */
public final class S3ProxyServer implements AutoCloseable {

  public static final String ACCESS_KEY = "studio-test-access";
  public static final String SECRET_KEY = "studio-test-secret-key-0123456789";

  private final Process process;
  private final Path dir;
  private final int port;

  private S3ProxyServer(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** Starts a server and makes {@code bucket} in it. */
  public static S3ProxyServer start(String bucket) throws Exception {
    Path jar = Path.of("target/s3proxy/s3proxy.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: the build copies it (mvn test-compile)");
    }
    Path dir = Files.createTempDirectory("volc-studio-s3-");
    Path data = Files.createDirectories(dir.resolve("data"));
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path properties = dir.resolve("s3proxy.conf");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + data,
            ""));
    Process process =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx192m",
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    jar.toString(),
                    "--properties",
                    properties.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("s3proxy.log").toFile())
            .start();
    S3ProxyServer server = new S3ProxyServer(process, dir, port);
    server.awaitListening();
    try (S3Client client = server.client()) {
      client.createBucket(b -> b.bucket(bucket));
    }
    return server;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** A client of this server, for a test to look at what the studio stored. */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        // As the studio's own client: s3proxy answers 501 to the checksum headers sent by default.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  private void awaitListening() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "s3proxy did not start: " + Files.readString(dir.resolve("s3proxy.log")));
        }
        Thread.sleep(100);
      }
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
