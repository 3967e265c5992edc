package com.volcstudio.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams images as a ZIP with a {@code params.json} manifest. The archive is written into a
 * back-pressured output stream as the client reads it, so it is never held in memory or on disk
 * whole.
 */
@Component
public class ImageArchive implements DisposableBean {

  /** The most images one archive request may name. */
  public static final int MAX_IMAGES = 500;

  static final String MANIFEST = "params.json";
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final MediaType ZIP = MediaType.parseMediaType("application/zip");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ImageStore store;
  private final Clock clock = Clock.systemUTC();

  /**
   * Writing an archive blocks a thread for as long as the client takes to read it (the stream waits
   * for demand). A small pool of its own keeps slow downloads from tying up boundedElastic, which
   * image saving needs; archives beyond its queue are refused rather than piling up.
   */
  private final Scheduler writers = Schedulers.newBoundedElastic(4, 64, "zip-writer");

  ImageArchive(ImageStore store) {
    this.store = store;
  }

  /**
   * A 200 answer streaming {@code images} (in this order) as {@code volc-images-<timestamp>.zip},
   * or a 404 problem saying {@code whenEmpty} if there are none.
   */
  public Mono<ResponseEntity<Flux<DataBuffer>>> response(
      List<StoredImage> images, String whenEmpty) {
    if (images.isEmpty()) {
      ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, whenEmpty);
      problem.setTitle("No images");
      return Mono.error(new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null));
    }
    String name = "volc-images-" + STAMP.format(clock.instant()) + ".zip";
    return Mono.just(
        ResponseEntity.ok()
            .contentType(ZIP)
            .header(
                HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename(name).build().toString())
            .cacheControl(CacheControl.noStore())
            .body(zip(images)));
  }

  Flux<DataBuffer> zip(List<StoredImage> images) {
    return Flux.from(
        DataBufferUtils.outputStreamPublisher(
            out -> write(images, out),
            DefaultDataBufferFactory.sharedInstance,
            task -> writers.schedule(task),
            CHUNK_BYTES));
  }

  private void write(List<StoredImage> images, OutputStream out) {
    try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
      // PNG and JPEG are compressed already: deflating them again costs CPU and saves next to
      // nothing.
      zip.setLevel(Deflater.NO_COMPRESSION);
      Set<String> used = new HashSet<>(Set.of(MANIFEST));
      List<Map<String, Object>> entries = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (StoredImage image : images) {
        String name = unique(ImageFileNames.of(image), used);
        // Opened before the entry is started, so a file deleted meanwhile leaves no empty entry
        // behind.
        try (InputStream in = store.open(image)) {
          ZipEntry entry = new ZipEntry(name);
          entry.setLastModifiedTime(FileTime.from(image.createdAt()));
          zip.putNextEntry(entry);
          in.transferTo(zip);
          zip.closeEntry();
        } catch (NoSuchFileException e) {
          missing.add(image.id());
          continue;
        }
        entries.add(manifestEntry(name, image));
      }
      zip.setLevel(Deflater.DEFAULT_COMPRESSION);
      zip.putNextEntry(new ZipEntry(MANIFEST));
      zip.write(
          JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest(entries, missing)));
      zip.closeEntry();
    } catch (IOException e) {
      // Also how a client that goes away ends the writer: the stream refuses further writes.
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, Object> manifest(List<Map<String, Object>> entries, List<String> missing) {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("generator", "Volc Image Studio");
    manifest.put("created_at", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
    manifest.put("images", entries);
    if (!missing.isEmpty()) {
      manifest.put("missing_image_ids", missing);
    }
    return manifest;
  }

  private static Map<String, Object> manifestEntry(String name, StoredImage image) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("file", name);
    entry.put("image_id", image.id());
    entry.put("mime_type", image.mimeType());
    entry.put("size_bytes", image.sizeBytes());
    entry.put("image_width", image.width());
    entry.put("image_height", image.height());
    entry.put("parameters", ImageMetadata.describe(image));
    return entry;
  }

  /** Entry names compared case-insensitively: some file systems would merge "A.png" and "a.png". */
  private static String unique(ImageFileNames.Name name, Set<String> used) {
    String candidate = name.unicode();
    for (int n = 2; !used.add(candidate.toLowerCase(Locale.ROOT)); n++) {
      candidate = name.withSuffix("-" + n).unicode();
    }
    return candidate;
  }

  @Override
  public void destroy() {
    writers.dispose();
  }
}
