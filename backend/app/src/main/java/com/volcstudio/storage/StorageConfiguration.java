package com.volcstudio.storage;

import com.volcstudio.config.StudioProperties;
import java.io.IOException;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Files under DATA_DIR unless S3_BUCKET is set. Decided when the bean is made, not by a condition:
 * ahead-of-time processing fixes conditions at build time, when no bucket is set.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

  @Bean
  Blobs blobs(S3Properties s3, StudioProperties studio) throws IOException {
    if (!s3.enabled()) {
      return new LocalBlobs(studio.dataDir());
    }
    LoggerFactory.getLogger(StorageConfiguration.class)
        .info("Images, thumbnails and uploads are stored in {}", s3);
    // A folder of this host's (container's) own: replicas may share DATA_DIR, and each clears its
    // cache at start.
    return new S3Blobs(s3, studio.dataDir().resolve("cache").resolve("objects").resolve(host()));
  }

  /** The container's or machine's name where the environment gives it (no DNS lookup). */
  private static String host() {
    String name = System.getenv("HOSTNAME");
    return name == null || !name.matches("[A-Za-z0-9._-]{1,64}") ? "local" : name;
  }
}
