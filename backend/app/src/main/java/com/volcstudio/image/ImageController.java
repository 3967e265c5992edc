package com.volcstudio.image;

import com.volcstudio.account.Scope;
import com.volcstudio.web.NotFoundException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Serves stored images and thumbnails. An image never changes once stored, so its id is its ETag
 * and it may be cached for a year. Conditional requests (If-None-Match → 304) are answered by
 * Spring's ResponseEntity handling and byte ranges (Range → 206, 416) by its Resource writer.
 */
@RestController
class ImageController {

  private static final CacheControl IMMUTABLE =
      CacheControl.maxAge(Duration.ofDays(365)).cachePrivate().immutable();

  private final ImageStore store;

  ImageController(ImageStore store) {
    this.store = store;
  }

  /** {@code ?download=1} asks the browser to save the file instead of showing it. */
  @GetMapping("/api/v1/images/{image_id}")
  Mono<ResponseEntity<Resource>> image(
      @PathVariable("image_id") String imageId,
      @RequestParam(defaultValue = "false") boolean download) {
    return find(imageId)
        .flatMap(
            image ->
                serve(
                    store.resource(image),
                    MediaType.parseMediaType(image.mimeType()),
                    "\"" + image.id() + "\"",
                    image,
                    ImageFileNames.of(image),
                    download));
  }

  @GetMapping("/api/v1/images/{image_id}/thumbnail")
  Mono<ResponseEntity<Resource>> thumbnail(
      @PathVariable("image_id") String imageId,
      @RequestParam(defaultValue = "false") boolean download) {
    // A thumbnail asked for before it was made (the image was stored a moment ago, or its making
    // was cut short by a crash) is made now, once however many ask at the same time.
    return find(imageId)
        .flatMap(
            image ->
                serve(
                    store.thumbnail(image),
                    MediaType.IMAGE_JPEG,
                    "\"" + image.id() + "-thumbnail\"",
                    image,
                    ImageFileNames.thumbnailOf(image),
                    download));
  }

  /** A row whose file is gone (deleted by hand) is a 404, not a 500. */
  private static Mono<ResponseEntity<Resource>> serve(
      Mono<Resource> stored,
      MediaType type,
      String etag,
      StoredImage image,
      ImageFileNames.Name name,
      boolean download) {
    return stored
        .onErrorMap(NoSuchFileException.class, e -> new NotFoundException("image file", image.id()))
        .map(
            resource ->
                ResponseEntity.ok()
                    .contentType(type)
                    .cacheControl(IMMUTABLE)
                    .eTag(etag)
                    .lastModified(image.createdAt())
                    .header(HttpHeaders.CONTENT_DISPOSITION, name.contentDisposition(download))
                    .body(resource));
  }

  private Mono<StoredImage> find(String imageId) {
    return Scope.current()
        .flatMap(scope -> store.find(imageId, scope))
        .switchIfEmpty(Mono.error(() -> new NotFoundException("image", imageId)));
  }
}
