package com.volcstudio.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.volcstudio.config.InvalidSettingException;
import com.volcstudio.database.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Two replicas on one PostgreSQL database and one Redis (issue 18): a runtime setting changed on
 * one reaches the other's memory within a second (what its governor and dispatcher read at their
 * next call), without a restart; a third that does not share their DATA_DIR (and has no S3) is
 * refused.
 */
class SettingsAcrossReplicasTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Test
  void aRuntimeSettingChangedOnOneReplicaAppliesOnTheOtherWithinASecond() throws Exception {
    try (PostgresServer postgres = PostgresServer.start("shared");
        RedisServer redis = RedisServer.start();
        ConfigurableApplicationContext a = start(postgres, redis);
        ConfigurableApplicationContext b = start(postgres, redis)) {
      WebClient onA = Replica.client(a);
      WebClient onB = Replica.client(b);
      assertThat(runtime(onB).get("volc_qps")).isNotEqualTo(5.5);

      onA.patch()
          .uri("/api/v1/settings")
          .bodyValue(Map.of("volc_qps", 5.5, "max_concurrent_tasks", 3))
          .retrieve()
          .toBodilessEntity()
          .block();
      long changed = System.nanoTime();
      while (!Double.valueOf(5.5).equals(((Number) runtime(onB).get("volc_qps")).doubleValue())) {
        assertThat(Duration.ofNanos(System.nanoTime() - changed))
            .as("the other replica has the new setting")
            .isLessThan(Duration.ofSeconds(1));
        Thread.sleep(20);
      }
      System.out.printf(
          "settings across replicas: the other replica had the change after %d ms%n",
          Duration.ofNanos(System.nanoTime() - changed).toMillis());
      assertThat(runtime(onB).get("max_concurrent_tasks")).isEqualTo(3);
      // Its dispatcher too: the queue's concurrency is the setting's.
      assertThat(
              onB.get().uri("/api/v1/queue").retrieve().bodyToMono(JSON).block().get("concurrency"))
          .isEqualTo(3);

      // A third replica with a DATA_DIR of its own and no S3_BUCKET could not read the images the
      // others store: it stops, saying why. (Last: a context that fails in this JVM takes the
      // shared Netty loops of the others with it.)
      assertThatThrownBy(
              () ->
                  Replica.of()
                      .cluster(postgres, "shared", redis)
                      .with(
                          "DEMO_LATENCY=50ms",
                          "DATA_DIR=" + Path.of("target/test-data", UUID.randomUUID().toString()))
                      .start())
          .satisfies(
              e -> {
                Throwable cause = e;
                while (!(cause instanceof InvalidSettingException) && cause.getCause() != null) {
                  cause = cause.getCause();
                }
                assertThat(cause)
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining("DATA_DIR")
                    .hasMessageContaining("S3_BUCKET");
              });
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> runtime(WebClient http) {
    return (Map<String, Object>)
        http.get().uri("/api/v1/settings").retrieve().bodyToMono(JSON).block().get("runtime");
  }

  private static ConfigurableApplicationContext start(PostgresServer postgres, RedisServer redis) {
    return Replica.of().cluster(postgres, "shared", redis).with("DEMO_LATENCY=50ms").start();
  }
}
