package com.volcstudio.frontend;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class FrontendConfiguration {

  @Bean
  FrontendPageFilter frontendPageFilter() {
    return new FrontendPageFilter();
  }
}
