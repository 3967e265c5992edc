package com.volcstudio.storage;

import com.volcstudio.config.HostName;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Objects of one bucket of S3-compatible storage, through the AWS SDK's synchronous client (SigV4).
 * A PUT is atomic: a reader sees the whole object or none. Checksums are sent and checked only
 * where a request needs them: since SDK 2.30 the client would otherwise add CRC32 trailers that
 * many S3-compatible servers refuse.
 */
final class S3Blobs implements Blobs, AutoCloseable {

  private final S3Client client;
  private final String bucket;
  private final ObjectCache cache;

  /**
   * The object cache's folder: this host's (container's) own, since replicas may share DATA_DIR and
   * each clears its cache at start.
   */
  static Path cacheDir(Path dataDir) {
    return dataDir.resolve("cache").resolve("objects").resolve(HostName.of());
  }

  S3Blobs(S3Properties properties, Path cacheDir) throws IOException {
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(properties.region()))
            .forcePathStyle(properties.pathStyle())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        Objects.requireNonNull(properties.accessKey()),
                        Objects.requireNonNull(properties.secretKey()))))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    String endpoint = properties.endpoint();
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(URI.create(endpoint));
    }
    this.client = builder.build();
    this.bucket = Objects.requireNonNull(properties.bucket());
    this.cache = new ObjectCache(cacheDir, properties.cacheMb() * 1024L * 1024L);
  }

  @Override
  public void put(String key, ByteBuffer... parts) throws IOException {
    long length = 0;
    for (ByteBuffer part : parts) {
      length += part.remaining();
    }
    byte[] bytes = new byte[Math.toIntExact(length)];
    int at = 0;
    for (ByteBuffer part : parts) {
      ByteBuffer copy = part.duplicate(); // the caller's positions stay as they were
      int n = copy.remaining();
      copy.get(bytes, at, n);
      at += n;
    }
    call(key, () -> client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes)));
  }

  @Override
  public byte[] get(String key) throws IOException {
    return call(
        key,
        () ->
            client
                .getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes())
                .asByteArray());
  }

  @Override
  public InputStream open(String key) throws IOException {
    return call(key, () -> client.getObject(b -> b.bucket(bucket).key(key)));
  }

  @Override
  public boolean exists(String key) throws IOException {
    try {
      call(key, () -> client.headObject(b -> b.bucket(bucket).key(key)));
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @Override
  public long size(String key) throws IOException {
    return call(key, () -> client.headObject(b -> b.bucket(bucket).key(key))).contentLength();
  }

  /** The object's ETag without quotes: the MD5 of its bytes for a single-part upload. */
  String etag(String key) throws IOException {
    return call(key, () -> client.headObject(b -> b.bucket(bucket).key(key)))
        .eTag()
        .replace("\"", "");
  }

  @Override
  public void delete(String key) throws IOException {
    cache.forget(key);
    call(key, () -> client.deleteObject(b -> b.bucket(bucket).key(key)));
  }

  /**
   * A file of the object cache, fetched by one GET streamed to disk, then served as any file is.
   */
  @Override
  public Resource resource(String key) throws IOException {
    return new FileSystemResource(
        cache.file(
            key,
            file ->
                call(
                    key,
                    () ->
                        client.getObject(
                            b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(file)))));
  }

  @Override
  public Optional<Path> file(String key) {
    return Optional.empty();
  }

  @Override
  public boolean remote() {
    return true;
  }

  @Override
  public void close() {
    client.close();
  }

  private interface Call<T> {
    T run();
  }

  /** The SDK's exceptions as the IOExceptions the file store throws (404: NoSuchFileException). */
  private <T> T call(String key, Call<T> call) throws IOException {
    try {
      return call.run();
    } catch (NoSuchKeyException e) {
      throw new NoSuchFileException(key);
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new NoSuchFileException(key);
      }
      throw new IOException("S3 " + e.statusCode() + " for " + key + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("S3 unreachable for " + key + ": " + e.getMessage(), e);
    }
  }
}
