package com.volcstudio.catalog;

import com.volcstudio.config.StudioProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CatalogConfiguration {

  @Bean
  ModelCatalog modelCatalog(
      StudioProperties properties, @Value("${catalog.prices-cny:}") String prices) {
    return ModelCatalog.load(properties.dataDir(), ModelPrices.parse(prices));
  }
}
