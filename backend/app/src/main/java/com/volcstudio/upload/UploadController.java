package com.volcstudio.upload;

import com.volcstudio.account.Caller;
import com.volcstudio.account.Scope;
import com.volcstudio.web.Ids;
import com.volcstudio.web.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code /api/v1/uploads}: reference images for image-to-image models; upload, read, delete. */
@RestController
class UploadController {

  private final Uploads uploads;
  private final UploadProperties properties;

  UploadController(Uploads uploads, UploadProperties properties) {
    this.uploads = uploads;
    this.properties = properties;
  }

  /**
   * One image in the multipart field {@code file}: PNG, JPEG or WebP judged by its bytes, within
   * the size limits.
   */
  @ApiResponse(responseCode = "201", description = "Stored; Location names it")
  @ApiResponse(
      responseCode = "413",
      description =
          "The file is larger than UPLOAD_MAX_MB (the multipart body is not read on), or its"
              + " pixels would take more than UPLOAD_MAX_DECODED_MB to decode")
  @ApiResponse(
      responseCode = "415",
      description = "Not a PNG, JPEG or WebP image, judged by its bytes")
  @ApiResponse(
      responseCode = "503",
      description = "Too many uploads are being checked at once: try again after Retry-After")
  @PostMapping(path = "/api/v1/uploads", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  Mono<ResponseEntity<UploadView>> upload(
      @RequestPart(name = UploadRejectedException.FIELD, required = false) @Nullable Part part) {
    if (!(part instanceof FilePart file)) {
      return Mono.error(
          UploadRejectedException.invalid(
              part == null
                  ? "is required: send the image as multipart/form-data field 'file'"
                  : "must be a file, not a text field"));
    }
    long max = properties.maxBytes();
    // join(.., max) stops reading as soon as the part passes the limit, so a big body is never held
    // whole.
    return DataBufferUtils.join(file.content(), (int) Math.min(Integer.MAX_VALUE, max))
        .onErrorMap(DataBufferLimitException.class, e -> tooLarge())
        .map(
            buffer -> {
              byte[] bytes = new byte[buffer.readableByteCount()];
              buffer.read(bytes);
              DataBufferUtils.release(buffer);
              return bytes;
            })
        .filter(bytes -> bytes.length > 0)
        .switchIfEmpty(Mono.error(() -> UploadRejectedException.invalid("is empty")))
        .flatMap(bytes -> Caller.currentOwner().flatMap(owner -> uploads.store(bytes, owner)))
        .map(
            stored -> ResponseEntity.created(URI.create(stored.url())).body(UploadView.of(stored)));
  }

  /** The image as uploaded. Ids are ours and never reused, so it may be cached for good. */
  @GetMapping("/api/v1/uploads/{upload_id}")
  Mono<ResponseEntity<Resource>> image(@PathVariable("upload_id") String id) {
    return Scope.current()
        .flatMap(scope -> uploads.find(id, scope))
        .switchIfEmpty(Mono.error(() -> new NotFoundException("upload", id)))
        .flatMap(
            upload ->
                uploads
                    .resource(upload)
                    .onErrorMap(
                        NoSuchFileException.class,
                        e -> new NotFoundException("upload file", upload.uploadId()))
                    .map(
                        resource ->
                            ResponseEntity.ok()
                                .contentType(MediaType.parseMediaType(upload.mimeType()))
                                .cacheControl(
                                    CacheControl.maxAge(Duration.ofDays(365))
                                        .cachePrivate()
                                        .immutable())
                                .header("X-Content-Type-Options", "nosniff")
                                .body(resource)));
  }

  /**
   * Deletes an upload (row, then file). Unlike a read, which answers any unknown id with 404, a
   * delete names the id that cannot be one of ours as bad input.
   */
  @Operation(
      summary = "Delete an uploaded reference image",
      description =
          "Removes the upload and its file. Refused while a pending or running task will still send it"
              + " upstream; tasks that have ended do not keep it (their images do not need it). Uploads no task"
              + " refers to are also removed by the retention cleanup a day after they were made.")
  @ApiResponse(responseCode = "204", description = "Deleted, with its file")
  @ApiResponse(
      responseCode = "400",
      description = "The id cannot be an upload id (ids are lower-case UUIDs)")
  @ApiResponse(
      responseCode = "409",
      description = "A pending or running task uses it as a reference image")
  @DeleteMapping("/api/v1/uploads/{upload_id}")
  Mono<ResponseEntity<Void>> delete(@PathVariable("upload_id") String id) {
    // Like every id in a path: one that cannot be ours is simply not found.
    if (!Ids.isId(id)) {
      return Mono.error(new NotFoundException("upload", id));
    }
    return Scope.current()
        .flatMap(scope -> uploads.delete(id, scope))
        .thenReturn(ResponseEntity.noContent().build());
  }

  /**
   * The multipart reader stops at UPLOAD_MAX_MB (spring.webflux.multipart.max-disk-usage-per-part):
   * a 413, not a 500.
   */
  @ExceptionHandler(DataBufferLimitException.class)
  ResponseEntity<ProblemDetail> partTooLarge() {
    UploadRejectedException e = tooLarge();
    return ResponseEntity.status(e.getStatusCode())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(e.getBody());
  }

  private UploadRejectedException tooLarge() {
    return UploadRejectedException.tooLarge(
        "is larger than " + properties.maxMb() + " MB (UPLOAD_MAX_MB)");
  }

  /** The answer to an upload (CONTRACTS "reference images"). */
  record UploadView(
      String uploadId, String mimeType, int width, int height, long sizeBytes, String url) {
    static UploadView of(Upload u) {
      return new UploadView(
          u.uploadId(), u.mimeType(), u.width(), u.height(), u.sizeBytes(), u.url());
    }
  }
}
