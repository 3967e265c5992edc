package com.volcstudio.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.database.PostgresServer;
import com.volcstudio.emulator.EmulatorSettings;
import com.volcstudio.emulator.VolcEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * MONTHLY_IMAGE_QUOTA over two replicas (issue 18), on one PostgreSQL database and one Redis: a
 * dozen submits at once, half through each, against a quota of four images: exactly four are
 * admitted, whichever replica took them.
 */
class QuotaAcrossReplicasTests {

  @Test
  void concurrentSubmitsOnTwoReplicasNeverOvershootTheMonthlyQuota() throws Exception {
    Path dataDir = Path.of("target/test-data", UUID.randomUUID().toString());
    try (PostgresServer postgres = PostgresServer.start("quota");
        RedisServer redis = RedisServer.start();
        VolcEmulator emulator =
            VolcEmulator.start(
                EmulatorSettings.loopback(
                    0,
                    EmulatorSettings.DEFAULT_ACCESS_KEY,
                    EmulatorSettings.DEFAULT_SECRET_KEY,
                    Duration.ofMillis(100)));
        ConfigurableApplicationContext a = start(postgres, redis, emulator, dataDir);
        ConfigurableApplicationContext b = start(postgres, redis, emulator, dataDir)) {
      WebClient onA = Replica.client(a);
      WebClient onB = Replica.client(b);
      // Nothing runs meanwhile: what counts is what is admitted, not what is made.
      onA.post().uri("/api/v1/queue/pause").retrieve().toBodilessEntity().block();
      // Both connections warm, so the dozen really arrive together.
      for (WebClient http : List.of(onA, onB)) {
        http.get().uri("/api/v1/queue").retrieve().toBodilessEntity().block();
      }

      List<Integer> statuses =
          Flux.range(0, 12)
              .flatMap(
                  i ->
                      (i % 2 == 0 ? onA : onB)
                          .post()
                          .uri("/api/v1/generate")
                          .bodyValue(Map.of("prompt", "quota " + i, "model", "general_v2.0_pro"))
                          .exchangeToMono(response -> Mono.just(response.statusCode().value())),
                  12)
              .collectList()
              .block(Duration.ofSeconds(60));

      assertThat(statuses).filteredOn(s -> s == 202).hasSize(4);
      assertThat(statuses).filteredOn(s -> s == 429).hasSize(8);
    }
  }

  private static ConfigurableApplicationContext start(
      PostgresServer postgres, RedisServer redis, VolcEmulator emulator, Path dataDir) {
    return Replica.of()
        .cluster(postgres, "quota", redis)
        .live(emulator)
        .with("DATA_DIR=" + dataDir, "MONTHLY_IMAGE_QUOTA=4", "RATE_LIMIT_ENABLED=false")
        .start();
  }
}
