package com.volcstudio.image;

import com.volcstudio.storage.Blobs;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.imgscalr.Scalr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Makes each image's thumbnail once, after the image is stored rather than before the task may
 * complete: decoding and scaling a 1024² image takes 50–200 ms of a core, and fifty of them at once
 * held every task's completion up by seconds (issue 4, {@code make bench}).
 *
 * <p>A thumbnail is asked for in the background when its image is stored, and again on demand by a
 * request that comes first; both share one making per image (single flight), so it is never made
 * twice at once, and a requested one goes ahead of the background backlog ({@link ThumbnailLanes}).
 * A made thumbnail is written atomically and its size recorded; one lost to a crash (image stored,
 * thumbnail not yet) is made again at start-up and, failing that, on demand.
 */
@Component
class Thumbnails implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(Thumbnails.class);

  /**
   * JPEG quality: 0.8 kept edges of text and faces clean at 384 px where ImageIO's default 0.75
   * showed ringing; higher costs bytes without a difference one can see at thumbnail size.
   */
  static final float QUALITY = 0.8f;

  /** Graceful shutdown finishes the thumbnails already asked for, but not forever. */
  private static final long SHUTDOWN_WAIT_SECONDS = 20;

  private final Blobs blobs;
  private final ThumbnailProperties settings;
  private final ImageRepository repository;

  /**
   * Its own small fixed pool, not boundedElastic: that scheduler runs every request's file I/O, and
   * thumbnails (a core each for up to 200 ms) must neither starve those nor be interrupted when the
   * request that asked for one goes away. THUMBNAIL_THREADS bounds the cores they take.
   */
  private final ExecutorService executor;

  private final ThumbnailLanes lanes;

  /** A thumbnail being made: its result, and its job so that a request can move it ahead. */
  private record Making(CompletableFuture<Long> result, ThumbnailLanes.Job job) {}

  private final Map<String, Making> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong made = new AtomicLong();

  Thumbnails(Blobs blobs, ThumbnailProperties settings, ImageRepository repository) {
    this.blobs = blobs;
    this.settings = settings;
    this.repository = repository;
    AtomicInteger count = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            settings.threads(),
            task -> {
              Thread thread = new Thread(task, "thumbnail-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.lanes = new ThumbnailLanes(executor);
  }

  /** Asks for the thumbnail of a just-stored image without waiting for it. */
  void makeLater(StoredImage image) {
    make(image, false)
        .exceptionally(
            e -> {
              log.warn(
                  "thumbnail of image {} not made now (made again on demand): {}",
                  image.id(),
                  e.getCause() == null ? e.toString() : e.getCause().toString());
              return 0L;
            });
  }

  /**
   * Completes once the thumbnail exists, made first if it does not yet. Errors with {@link
   * NoSuchFileException} if the image's own file is gone.
   */
  Mono<Void> made(StoredImage image) {
    String target = keyOf(image);
    // A stat (or a HEAD) blocks: keep it off the event loop.
    return Mono.fromCallable(() -> blobs.exists(target))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            exists ->
                exists
                    ? Mono.<Void>empty()
                    // suppressCancel: a client that goes away does not stop a thumbnail that
                    // other requests (or the next visit) want too.
                    : Mono.fromFuture(make(image, true), true)
                        .onErrorMap(Thumbnails::unwrap)
                        .then());
  }

  /** Where the thumbnail is stored ({@link Blobs}). */
  static String keyOf(StoredImage image) {
    return "thumbnails/" + StoredImage.thumbnailFileName(image.id());
  }

  private static Throwable unwrap(Throwable e) {
    Throwable cause = e;
    while ((cause instanceof CompletionException || cause instanceof UncheckedIOException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * Whether a making of this image's thumbnail is under way (its size may be recorded already, its
   * result not yet complete): a test that removes a thumbnail waits for this first.
   */
  boolean making(String imageId) {
    return inFlight.containsKey(imageId);
  }

  /** Thumbnails made by this process (not found already on disk): tests count them. */
  long madeCount() {
    return made.get();
  }

  /** The thumbnail's file under DATA_DIR (tests look at it; with S3 there is none). */
  Path pathOf(StoredImage image) {
    return blobs.file(keyOf(image)).orElseThrow();
  }

  /**
   * Images stored but never thumbnailed (the process stopped in between) get theirs now, so
   * browsing history after a crash does not wait for them one by one.
   */
  void makeMissing() {
    repository
        .findWithoutThumbnail()
        // Two stats per image: keep them off the event loop.
        .publishOn(Schedulers.boundedElastic())
        .filter(this::imageStored)
        .subscribe(
            this::makeLater, e -> log.warn("could not look for images without thumbnails", e));
  }

  /**
   * The one making of this image's thumbnail, queued now unless one is already under way; {@code
   * wanted}: a request waits for it, so it goes ahead of the background backlog.
   */
  private CompletableFuture<Long> make(StoredImage image, boolean wanted) {
    Making making;
    boolean[] queuedNow = {false};
    try {
      // A making that has finished but is not yet removed from the map (its removal runs just
      // after its result completes) is not reused: the file it made may be gone since, as when a
      // crash lost it (ThumbnailTests saw the start-up's repair find the finished one and make
      // nothing).
      making =
          inFlight.compute(
              image.id(),
              (id, existing) -> {
                if (existing != null && !existing.result().isDone()) {
                  return existing;
                }
                CompletableFuture<Long> made = new CompletableFuture<>();
                ThumbnailLanes.Job job =
                    lanes.submit(
                        () -> {
                          try {
                            made.complete(makeNow(image));
                          } catch (RuntimeException e) {
                            made.completeExceptionally(e);
                          }
                        },
                        wanted);
                queuedNow[0] = true;
                return new Making(made.thenCompose(bytes -> record(image, bytes)), job);
              });
      if (wanted && !queuedNow[0]) {
        lanes.promote(making.job());
      }
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e); // shutting down
    }
    // Only after it is done may a later request start another: by then the file exists, and
    // makeNow checks for it again in case that request looked before it did.
    CompletableFuture<Long> result = making.result();
    result.whenComplete((bytes, error) -> inFlight.remove(image.id(), making));
    return result;
  }

  private boolean imageStored(StoredImage image) {
    try {
      return blobs.exists(ImageStore.keyOf(image));
    } catch (IOException e) {
      log.warn("image {} could not be looked for: {}", image.id(), e.toString());
      return false;
    }
  }

  /** Runs on the thumbnail pool; returns the thumbnail's size. */
  private long makeNow(StoredImage image) {
    String target = keyOf(image);
    try {
      try {
        return blobs.size(target);
      } catch (NoSuchFileException notYet) {
        // made below
      }
      byte[] jpeg = render(blobs.get(ImageStore.keyOf(image)), settings.size());
      blobs.put(target, ByteBuffer.wrap(jpeg));
      made.incrementAndGet();
      return jpeg.length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Records the thumbnail's size, which counts against MAX_STORAGE_GB. No row to record it in means
   * the image was deleted while its thumbnail was being made: the file goes too.
   */
  private CompletableFuture<Long> record(StoredImage image, long bytes) {
    return repository
        .recordThumbnail(image.id(), bytes)
        .flatMap(
            rows ->
                rows > 0
                    ? Mono.just(bytes)
                    // File deletion blocks: keep it off the database's threads.
                    : Mono.fromRunnable(() -> deleteQuietly(keyOf(image)))
                        .subscribeOn(Schedulers.boundedElastic())
                        .thenReturn(0L))
        // The thumbnail exists either way: serve it, and let the next start-up record its size.
        .onErrorResume(
            e -> {
              log.warn("size of thumbnail of image {} not recorded: {}", image.id(), e.toString());
              return Mono.just(bytes);
            })
        .toFuture();
  }

  /**
   * Decodes, scales to {@code size} on the longer side (never up) and encodes a JPEG. Large images
   * are decoded subsampled to twice the thumbnail's size, which costs a fraction of decoding every
   * pixel and, followed by a proper downscale, looks the same.
   */
  static byte[] render(Path source, int size) throws IOException {
    try (ImageInputStream in = new FileImageInputStream(source.toFile())) {
      return render(in, size);
    }
  }

  static byte[] render(byte[] source, int size) throws IOException {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(source))) {
      return render(in, size);
    }
  }

  private static byte[] render(ImageInputStream in, int size) throws IOException {
    BufferedImage decoded;
    {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException("no reader for this image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int longer = Math.max(reader.getWidth(0), reader.getHeight(0));
        ImageReadParam param = reader.getDefaultReadParam();
        int step = Math.max(1, longer / (size * 2));
        param.setSourceSubsampling(step, step, 0, 0);
        decoded = reader.read(0, param);
      } finally {
        reader.dispose();
      }
    }
    int target = Math.min(size, Math.max(decoded.getWidth(), decoded.getHeight()));
    BufferedImage scaled =
        target == Math.max(decoded.getWidth(), decoded.getHeight())
            ? decoded
            : Scalr.resize(decoded, Scalr.Method.QUALITY, target);
    // JPEG has no alpha: transparent parts become white, as a browser shows them on a light page.
    BufferedImage rgb =
        new BufferedImage(scaled.getWidth(), scaled.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
      g.drawImage(scaled, 0, 0, null);
    } finally {
      g.dispose();
    }
    return jpeg(rgb);
  }

  private void deleteQuietly(String key) {
    try {
      blobs.delete(key);
    } catch (IOException e) {
      log.warn("thumbnail {} left behind: {}", key, e.toString());
    }
  }

  private static byte[] jpeg(BufferedImage rgb) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    JPEGImageWriteParam param = new JPEGImageWriteParam(null);
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(QUALITY);
    // Huffman tables fitted to this image: 5–10 % fewer bytes, same pixels.
    param.setOptimizeHuffmanTables(true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(rgb, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  @Override
  public void destroy() throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
      log.warn("thumbnails still being made at shutdown are made again at the next start");
      executor.shutdownNow();
    }
  }
}
