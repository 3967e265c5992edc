package com.volcstudio.upload;

import java.util.List;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/** Uploads through the API, for tests that need a reference image to exist. */
public final class TestUploads {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  private TestUploads() {}

  /** A generate request for the emulated image-to-image model with one reference upload. */
  public static Map<String, Object> imageToImageRequest(String uploadId) {
    return Map.of(
        "prompt",
        "make it a watercolour",
        "model",
        "jimeng_i2i_v3.0",
        "reference_image_ids",
        List.of(uploadId),
        "width",
        1024,
        "height",
        1024);
  }

  /** POSTs the image and returns its {@code upload_id}; anything but 201 fails the test. */
  public static String upload(WebTestClient http, byte[] bytes) {
    MultipartBodyBuilder parts = new MultipartBodyBuilder();
    parts.part(
        "file",
        new ByteArrayResource(bytes) {
          @Override
          public String getFilename() {
            return "ref";
          }
        });
    return (String)
        http.post()
            .uri("/api/v1/uploads")
            .contentType(MediaType.MULTIPART_FORM_DATA)
            .body(BodyInserters.fromMultipartData(parts.build()))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody()
            .get("upload_id");
  }
}
