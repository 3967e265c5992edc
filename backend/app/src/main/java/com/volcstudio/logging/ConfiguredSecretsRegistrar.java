package com.volcstudio.logging;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Tells {@link KnownSecrets} the configured keys once the Environment is complete. Logging is set
 * up earlier, while the Environment may still lack values added when the context is prepared (a
 * test's {@code @DynamicPropertySource}, for one). A bean factory post-processor runs after that
 * and before any ordinary bean exists, so before any bean could log a key.
 */
@Component
class ConfiguredSecretsRegistrar
    implements BeanFactoryPostProcessor, EnvironmentAware, PriorityOrdered {

  @Override
  public void setEnvironment(Environment environment) {
    KnownSecrets.registerFrom(environment);
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    // Registration happened in setEnvironment; being a post-processor is what makes it happen this
    // early.
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
