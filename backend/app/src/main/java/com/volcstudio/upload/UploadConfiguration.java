package com.volcstudio.upload;

import javax.imageio.ImageIO;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class UploadConfiguration {

  UploadConfiguration() {
    // ImageIO finds the WebP plugin through the class loader that first touches it; from an
    // executable
    // jar that may not be the one holding the plugin, so it is looked for again here.
    ImageIO.scanForPlugins();
    // Decoding works in memory; no temp files for ImageIO's stream cache.
    ImageIO.setUseCache(false);
  }

  @Bean
  UploadSizeFilter uploadSizeFilter(UploadProperties properties) {
    return new UploadSizeFilter(properties);
  }
}
