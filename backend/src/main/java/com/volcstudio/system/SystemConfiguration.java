package com.volcstudio.system;

import com.volcstudio.volcengine.ArkProperties;
import com.volcstudio.volcengine.VolcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

  @Bean(destroyMethod = "close")
  Providers providers(VolcProperties volc, ArkProperties ark, DemoProperties demo) {
    return Providers.start(volc, ark, demo);
  }
}
