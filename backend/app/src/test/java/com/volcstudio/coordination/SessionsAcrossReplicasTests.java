package com.volcstudio.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.database.PostgresServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Logins across replicas (issue 18), on one PostgreSQL database and one Redis: a login made through
 * one replica is valid on the others, a replica started later included, and a logout through any
 * ends it on all. (One JVM: a replica stopped here would take the others' shared Netty loops with
 * it, so none is stopped before the end.)
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionsAcrossReplicasTests {

  private static final String PASSWORD = "across the replicas 7";

  @Test
  void aLoginOnOneReplicaWorksOnTheOthersAndALogoutOnAnyEndsIt(CapturedOutput output)
      throws Exception {
    try (PostgresServer postgres = PostgresServer.start("sessions");
        RedisServer redis = RedisServer.start();
        ConfigurableApplicationContext a = start(postgres, redis);
        ConfigurableApplicationContext b = start(postgres, redis)) {
      WebClient onA = Replica.client(a);
      WebClient onB = Replica.client(b);
      ResponseEntity<Void> login =
          onA.post()
              .uri("/api/v1/auth/login")
              .bodyValue(Map.of("username", "admin", "password", PASSWORD))
              .retrieve()
              .toBodilessEntity()
              .block();
      assertThat(status(onA, login)).isEqualTo(200);
      // Without keys these replicas are in demo mode, and say what that means for a cluster.
      assertThat(output.getAll()).contains("Demo mode with replicas: each replica has an emulator");
      assertThat(status(onB, login)).as("the login on B").isEqualTo(200);

      // A replica started after the login (a restart, a new one) knows it too.
      try (ConfigurableApplicationContext c = start(postgres, redis)) {
        WebClient onC = Replica.client(c);
        assertThat(status(onC, login)).as("the login on a replica started later").isEqualTo(200);

        String xsrf = cookie(login, "XSRF-TOKEN");
        onB.post()
            .uri("/api/v1/auth/logout")
            .cookie("SESSION", cookie(login, "SESSION"))
            .cookie("XSRF-TOKEN", xsrf)
            .header("X-XSRF-TOKEN", xsrf)
            .retrieve()
            .toBodilessEntity()
            .block();
        assertThat(status(onA, login)).as("the login on A after a logout on B").isEqualTo(401);
        assertThat(status(onC, login)).as("the login on C after a logout on B").isEqualTo(401);
        assertThat(status(onB, login)).isEqualTo(401);
      }
    }
  }

  /** {@code GET /api/v1/tasks} with the login's session cookie alone. */
  private static int status(WebClient http, ResponseEntity<Void> login) {
    return http.get()
        .uri("/api/v1/tasks")
        .cookie("SESSION", cookie(login, "SESSION"))
        .exchangeToMono(response -> Mono.just(response.statusCode().value()))
        .block();
  }

  private static String cookie(ResponseEntity<Void> login, String name) {
    return login.getHeaders().get("Set-Cookie").stream()
        .map(header -> java.net.HttpCookie.parse(header).get(0))
        .filter(cookie -> cookie.getName().equals(name))
        .map(java.net.HttpCookie::getValue)
        .findFirst()
        .orElseThrow();
  }

  private static ConfigurableApplicationContext start(PostgresServer postgres, RedisServer redis) {
    return Replica.of()
        .cluster(postgres, "sessions", redis)
        .with("DEMO_LATENCY=50ms", "APP_AUTH_USERNAME=admin", "APP_AUTH_PASSWORD=" + PASSWORD)
        .start();
  }
}
