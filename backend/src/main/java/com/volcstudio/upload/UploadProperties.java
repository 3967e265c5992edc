package com.volcstudio.upload;

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
 */
@ConfigurationProperties("upload")
public record UploadProperties(@DefaultValue("10") int maxMb, @DefaultValue("4096") int maxSide) {

  public long maxBytes() {
    return maxMb * 1024L * 1024L;
  }
}
