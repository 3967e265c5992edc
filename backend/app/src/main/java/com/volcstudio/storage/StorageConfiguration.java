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
    return new S3Blobs(s3, S3Blobs.cacheDir(studio.dataDir()));
  }
}
