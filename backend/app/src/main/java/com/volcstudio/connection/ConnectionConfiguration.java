package com.volcstudio.connection;

import com.volcstudio.config.StudioProperties;
import com.volcstudio.volcengine.ArkClient;
import com.volcstudio.volcengine.ArkProperties;
import com.volcstudio.volcengine.UpstreamBreakers;
import com.volcstudio.volcengine.VisualClient;
import com.volcstudio.volcengine.VolcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class ConnectionConfiguration {

  @Bean(destroyMethod = "close")
  Providers providers(
      VolcProperties volc,
      ArkProperties ark,
      DemoProperties demo,
      StudioProperties studio,
      Environment environment) {
    // Replicas: tasks move between processes (DATABASE_URL and REDIS_URL, issue 18).
    boolean replicated =
        !environment.getProperty("DATABASE_URL", "").isBlank()
            && !environment.getProperty("REDIS_URL", "").isBlank();
    return new Providers(volc, ark, demo, studio, replicated);
  }

  @Bean
  ConnectionCheck connectionCheck(
      VisualClient visual, ArkClient ark, Providers providers, UpstreamBreakers breakers) {
    return new ConnectionCheck(visual, ark, providers, breakers);
  }
}
