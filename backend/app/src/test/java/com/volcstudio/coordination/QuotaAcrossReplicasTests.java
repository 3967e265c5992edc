package com.volcstudio.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.database.PostgresServer;
import com.volcstudio.emulator.VolcEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * MONTHLY_IMAGE_QUOTA over two replicas (issue 18), on one PostgreSQL database and one Redis: a
 * batch and a task of two images each (a batch's reservation is given back too), then a dozen
 * submits at once, half through each, against the four images left: never more than four are
 * admitted, whichever replica took them (six were with each replica reserving alone), and then
 * exactly four in all.
 */
class QuotaAcrossReplicasTests {

  @Test
  void concurrentSubmitsOnTwoReplicasNeverOvershootTheMonthlyQuota() throws Exception {
    try (PostgresServer postgres = PostgresServer.start("quota");
        RedisServer redis = RedisServer.start();
        VolcEmulator emulator = Replica.emulator(Duration.ofMillis(100));
        ConfigurableApplicationContext a = start(postgres, redis, emulator);
        ConfigurableApplicationContext b = start(postgres, redis, emulator)) {
      WebClient onA = Replica.client(a);
      WebClient onB = Replica.client(b);
      // Nothing runs meanwhile: what counts is what is admitted, not what is made.
      onA.post().uri("/api/v1/queue/pause").retrieve().toBodilessEntity().block();
      // A batch of two images, then a task of two: a batch's reservation is given back too, or
      // the task would be refused with four of the quota's eight left.
      assertThat(
              onA.post()
                  .uri("/api/v1/generate/batch")
                  .bodyValue(
                      Map.of("prompts", List.of("batch 1", "batch 2"), "model", "general_v2.0_pro"))
                  .exchangeToMono(response -> Mono.just(response.statusCode().value()))
                  .block())
          .isEqualTo(202);
      assertThat(
              onB.post()
                  .uri("/api/v1/generate")
                  .bodyValue(Map.of("prompt", "two", "model", "general_v2.0_pro", "num_images", 2))
                  .exchangeToMono(response -> Mono.just(response.statusCode().value()))
                  .block())
          .isEqualTo(202);

      List<Integer> statuses =
          Flux.range(0, 12)
              .flatMap(i -> submit(i % 2 == 0 ? onA : onB, "quota " + i), 12)
              .collectList()
              .block(Duration.ofSeconds(60));

      // Never over the quota; under such a race a submit may be refused a moment early (one
      // reading while another's images are both committed and still reserved counts them twice).
      long admitted = statuses.stream().filter(s -> s == 202).count();
      assertThat(admitted).as("admitted at once").isBetween(1L, 4L);
      assertThat(statuses).filteredOn(s -> s != 202).containsOnly(429);
      // Once they are in, the rest of the quota is there to be taken, and no more.
      List<Integer> after = new java.util.ArrayList<>();
      for (int i = 0; i < 5 - admitted; i++) {
        after.add(submit(i % 2 == 0 ? onA : onB, "quota after " + i).block());
      }
      assertThat(after.subList(0, after.size() - 1)).allMatch(s -> s == 202);
      assertThat(after.get(after.size() - 1)).as("the ninth image").isEqualTo(429);
    }
  }

  private static Mono<Integer> submit(WebClient http, String prompt) {
    return http.post()
        .uri("/api/v1/generate")
        .bodyValue(Map.of("prompt", prompt, "model", "general_v2.0_pro"))
        .exchangeToMono(response -> Mono.just(response.statusCode().value()));
  }

  private static ConfigurableApplicationContext start(
      PostgresServer postgres, RedisServer redis, VolcEmulator emulator) {
    return Replica.of()
        .cluster(postgres, "quota", redis)
        .live(emulator)
        .with("MONTHLY_IMAGE_QUOTA=8", "RATE_LIMIT_ENABLED=false")
        .start();
  }
}
