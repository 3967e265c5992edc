package com.volcstudio.storage;

import com.volcstudio.config.InvalidSettingException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * S3-compatible storage for images, thumbnails and uploads (issue 18); off while {@code S3_BUCKET}
 * is empty.
 *
 * @param endpoint {@code S3_ENDPOINT}: the service's address, e.g. {@code
 *     https://tos-s3-cn-beijing.volces.com} (VolcEngine TOS: its S3 endpoint, not the TOS one) or
 *     {@code http://minio:9000}; empty: AWS S3 of {@code region}
 * @param region {@code S3_REGION}, e.g. {@code cn-beijing} for TOS in Beijing; signed into every
 *     request (SigV4)
 * @param bucket {@code S3_BUCKET}: created beforehand; the studio writes under {@code images/},
 *     {@code thumbnails/} and {@code uploads/}
 * @param accessKey {@code S3_ACCESS_KEY}
 * @param secretKey {@code S3_SECRET_KEY}
 * @param pathStyle {@code S3_PATH_STYLE}: {@code http://host/bucket/key} (MinIO and most
 *     self-hosted servers) rather than {@code http://bucket.host/key} (AWS, and TOS, which takes
 *     only this)
 * @param cacheMb {@code S3_CACHE_MB}: disk under {@code DATA_DIR/cache/objects} for images and
 *     uploads served from the bucket, what is served least dropped first (at least 16)
 */
@ConfigurationProperties("s3")
public record S3Properties(
    @Nullable String endpoint,
    @DefaultValue("us-east-1") String region,
    @Nullable String bucket,
    @Nullable String accessKey,
    @Nullable String secretKey,
    @DefaultValue("false") boolean pathStyle,
    @DefaultValue("512") long cacheMb) {

  /** Below this a large image would be dropped from the cache before it could be served. */
  static final long MIN_CACHE_MB = 16;

  public S3Properties {
    if (cacheMb < MIN_CACHE_MB) {
      throw new InvalidSettingException(
          "S3_CACHE_MB", "must be at least " + MIN_CACHE_MB + ", not " + cacheMb);
    }
    if (enabled(bucket)) {
      if (blank(accessKey) || blank(secretKey)) {
        throw new InvalidSettingException(
            blank(accessKey) ? "S3_ACCESS_KEY" : "S3_SECRET_KEY",
            "must be set when S3_BUCKET is: the studio signs its requests with that key pair");
      }
      if (!blank(endpoint)
          && !(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
        throw new InvalidSettingException(
            "S3_ENDPOINT", "must start with http:// or https://, not '" + endpoint + "'");
      }
    }
  }

  public boolean enabled() {
    return enabled(bucket);
  }

  private static boolean enabled(@Nullable String bucket) {
    return !blank(bucket);
  }

  private static boolean blank(@Nullable String value) {
    return value == null || value.isBlank();
  }

  @Override
  public String toString() {
    return "S3Properties[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + "]";
  }
}
