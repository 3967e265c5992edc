package com.volcstudio.catalog;

import com.volcstudio.config.StudioProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CatalogConfiguration {

  @Bean
  ModelCatalog modelCatalog(StudioProperties properties) {
    return ModelCatalog.load(properties.dataDir());
  }
}
