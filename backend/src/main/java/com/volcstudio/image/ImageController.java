package com.volcstudio.image;

import com.volcstudio.web.Ids;
import com.volcstudio.web.NotFoundException;
import java.time.Duration;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Serves stored images and thumbnails. An image never changes once stored, so it may be cached for long. */
@RestController
class ImageController {

  private static final CacheControl IMMUTABLE = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

  private final ImageStore store;

  ImageController(ImageStore store) {
    this.store = store;
  }

  @GetMapping("/api/v1/images/{image_id}")
  Mono<ResponseEntity<Resource>> image(@PathVariable("image_id") String imageId) {
    return find(imageId).map(image -> ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(image.mimeType()))
        .cacheControl(IMMUTABLE)
        .header("Content-Disposition", ContentDisposition.inline().filename(image.fileName()).build().toString())
        .body(new FileSystemResource(store.fileOf(image))));
  }

  @GetMapping("/api/v1/images/{image_id}/thumbnail")
  Mono<ResponseEntity<Resource>> thumbnail(@PathVariable("image_id") String imageId) {
    return find(imageId).map(image -> ResponseEntity.ok()
        .contentType(MediaType.IMAGE_JPEG)
        .cacheControl(IMMUTABLE)
        .body(new FileSystemResource(store.thumbnailOf(image))));
  }

  private Mono<StoredImage> find(String imageId) {
    if (!Ids.isId(imageId)) {
      return Mono.error(new NotFoundException("image", imageId));
    }
    return store.find(imageId).switchIfEmpty(Mono.error(() -> new NotFoundException("image", imageId)));
  }
}
