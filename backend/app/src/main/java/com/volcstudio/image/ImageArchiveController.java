package com.volcstudio.image;

import com.volcstudio.account.Scope;
import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.Ids;
import com.volcstudio.web.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code POST /api/v1/images/zip}: chosen images as one ZIP download. */
@RestController
class ImageArchiveController {

  record ZipRequest(@Nullable List<@Nullable String> imageIds) {}

  private final ImageStore store;
  private final ImageArchive archive;

  ImageArchiveController(ImageStore store, ImageArchive archive) {
    this.store = store;
    this.archive = archive;
  }

  /**
   * Every id must name a stored image (404 listing those that do not); repeated ids are zipped
   * once.
   */
  @PostMapping("/api/v1/images/zip")
  Mono<ResponseEntity<Flux<DataBuffer>>> zip(@RequestBody ZipRequest request) {
    List<@Nullable String> ids = request.imageIds();
    if (ids == null || ids.isEmpty() || ids.size() > ImageArchive.MAX_IMAGES) {
      return Mono.error(
          new InvalidRequestException(
              "image_ids", "must list 1 to " + ImageArchive.MAX_IMAGES + " image ids"));
    }
    List<FieldViolation> violations = new ArrayList<>();
    Set<String> wanted = new LinkedHashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      if (id == null || !Ids.isId(id)) {
        violations.add(new FieldViolation("image_ids[" + i + "]", "is not an image id"));
      } else {
        wanted.add(id);
      }
    }
    if (!violations.isEmpty()) {
      return Mono.error(new InvalidRequestException(violations));
    }
    // Another user's images are "no such image", like ids that do not exist.
    return Scope.current()
        .flatMap(
            scope -> store.findAll(wanted, scope).collectMap(StoredImage::id, Function.identity()))
        .flatMap(
            found -> {
              List<FieldViolation> unknown = new ArrayList<>();
              for (int i = 0; i < ids.size(); i++) {
                if (!found.containsKey(ids.get(i))) {
                  unknown.add(new FieldViolation("image_ids[" + i + "]", "no such image"));
                }
              }
              return unknown.isEmpty()
                  ? archive.response(inRequestOrder(wanted, found), "No images were asked for.")
                  : Mono.error(notFound(unknown));
            });
  }

  private static List<StoredImage> inRequestOrder(
      Set<String> wanted, Map<String, StoredImage> found) {
    return wanted.stream().map(found::get).collect(Collectors.toList());
  }

  private static ErrorResponseException notFound(List<FieldViolation> unknown) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.NOT_FOUND,
            "Some of the images asked for do not exist (any more); errors lists them.");
    problem.setTitle("Image not found");
    problem.setProperty("errors", unknown);
    return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
  }
}
