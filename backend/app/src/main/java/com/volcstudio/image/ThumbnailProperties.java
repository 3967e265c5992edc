package com.volcstudio.image;

import com.volcstudio.config.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How thumbnails are made. They are made after the image is stored, off the path that completes a
 * task, and on demand when one is asked for before it exists.
 *
 * @param size the longer side of a thumbnail in pixels ({@code THUMBNAIL_SIZE}); thumbnails already
 *     made keep the size they were made with
 * @param threads threads making thumbnails ({@code THUMBNAIL_THREADS}); each takes one core while
 *     it works, so more than the cores available only slows everything else down
 */
@ConfigurationProperties("thumbnails")
public record ThumbnailProperties(@DefaultValue("384") int size, @DefaultValue("1") int threads) {

  public ThumbnailProperties {
    if (size < 32 || size > 2048) {
      throw new InvalidSettingException("THUMBNAIL_SIZE", "must be 32–2048 pixels, not " + size);
    }
    if (threads < 1 || threads > 16) {
      throw new InvalidSettingException("THUMBNAIL_THREADS", "must be 1–16, not " + threads);
    }
  }
}
