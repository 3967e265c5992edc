package com.volcstudio.coordination;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.stereotype.Component;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;

/**
 * Logins valid on every replica (issue 18): with REDIS_URL and a shared PostgreSQL database ({@link
 * RedisClients#cluster()}) the web sessions (a login's security context, an OIDC sign-in under way)
 * are kept in Redis by Spring Session instead of this process's memory, so a login made through one
 * replica works on the others, a logout on one ends it on all, and a restarted replica logs nobody
 * out. Everything else about sessions stays Boot's (the cookie, its resolver, APP_SESSION_TIMEOUT);
 * only the store of Boot's session manager is replaced, before the server takes its first request.
 * Attributes are Java-serialized: every replica must run the same version.
 */
@Component
class SharedSessions implements SmartInitializingSingleton, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(SharedSessions.class);

  private final @Nullable String cluster;
  private final @Nullable RedisClient client;
  private final @Nullable RedisURI uri;
  private final ObjectProvider<WebSessionManager> managers;
  private final Duration timeout;
  private @Nullable LettuceConnectionFactory connections;

  SharedSessions(
      RedisClients clients,
      ObjectProvider<WebSessionManager> managers,
      @Value("${server.reactive.session.timeout:30m}") Duration timeout) {
    this.cluster = clients.cluster();
    this.client = clients.client();
    this.uri = clients.uri();
    this.managers = managers;
    this.timeout = timeout;
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (cluster == null
        || client == null
        || uri == null
        || !(managers.getIfAvailable() instanceof DefaultWebSessionManager manager)) {
      return;
    }
    RedisStandaloneConfiguration server =
        new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
    server.setDatabase(uri.getDatabase());
    if (uri.getUsername() != null) {
      server.setUsername(uri.getUsername());
    }
    if (uri.getPassword() != null) {
      server.setPassword(RedisPassword.of(uri.getPassword()));
    }
    LettuceClientConfiguration.LettuceClientConfigurationBuilder options =
        LettuceClientConfiguration.builder().clientResources(client.getResources());
    if (uri.isSsl()) {
      options.useSsl();
    }
    // Lettuce's own client resources (its event loops) are the shared client's: no second set.
    connections = new LettuceConnectionFactory(server, options.build());
    connections.afterPropertiesSet();
    RedisSerializationContext<String, Object> serialization =
        RedisSerializationContext.<String, Object>newSerializationContext(
                new JdkSerializationRedisSerializer(getClass().getClassLoader()))
            .key(RedisSerializer.string())
            .hashKey(RedisSerializer.string())
            .build();
    ReactiveRedisSessionRepository sessions =
        new ReactiveRedisSessionRepository(new ReactiveRedisTemplate<>(connections, serialization));
    sessions.setDefaultMaxInactiveInterval(timeout);
    sessions.setRedisKeyNamespace(cluster + ":sessions");
    manager.setSessionStore(new SpringSessionWebSessionStore<>(sessions));
    log.info("Login sessions are kept in Redis, shared by every replica");
  }

  @Override
  public void destroy() {
    if (connections != null) {
      connections.destroy();
    }
  }
}
