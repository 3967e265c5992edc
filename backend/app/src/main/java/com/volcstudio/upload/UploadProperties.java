package com.volcstudio.upload;

import com.volcstudio.config.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on uploaded reference images.
 *
 * @param maxMb largest file in MB ({@code UPLOAD_MAX_MB}); a bigger body is refused with 413 before
 *     it is read to the end
 * @param maxSide longest side in pixels ({@code UPLOAD_MAX_SIDE}), checked from the image header
 *     before any pixel is decoded, so a small file claiming a huge image (a decompression bomb)
 *     never is; the upstreams accept at most 4096 px (docs/volcengine/PROTOCOL.md §3.3)
 * @param maxDecodedMb memory in MiB the image's pixels may take decoded ({@code
 *     UPLOAD_MAX_DECODED_MB}): width × height × channels × bit depth, from the header, before any
 *     pixel is decoded. 64 takes the largest 8-bit RGBA image the side limit allows (4096² × 4
 *     bytes) and refuses the same at 16 bits (128 MiB from a 130 KB file)
 * @param keepMetadata whether uploads keep their EXIF/XMP/text metadata ({@code
 *     UPLOAD_KEEP_METADATA}); by default it is removed before the upload is stored or sent upstream
 */
@ConfigurationProperties("upload")
public record UploadProperties(
    @DefaultValue("10") int maxMb,
    @DefaultValue("4096") int maxSide,
    @DefaultValue("64") int maxDecodedMb,
    @DefaultValue("false") boolean keepMetadata) {

  public UploadProperties {
    if (maxDecodedMb < 1) {
      throw new InvalidSettingException(
          "UPLOAD_MAX_DECODED_MB", "must be at least 1 (MB), not " + maxDecodedMb);
    }
  }

  public long maxBytes() {
    return maxMb * 1024L * 1024L;
  }
}
