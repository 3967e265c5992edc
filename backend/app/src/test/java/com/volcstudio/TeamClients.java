package com.volcstudio;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Clients of a {@link LoginOnStudio} app acting as one account or another, over HTTP Basic. */
public final class TeamClients {

  private final WebTestClient http;

  public TeamClients(WebTestClient http) {
    this.http = http;
  }

  public WebTestClient as(String user, String password) {
    return http.mutate()
        .responseTimeout(Duration.ofSeconds(30))
        .defaultHeaders(h -> h.setBasicAuth(user, password))
        .build();
  }

  public WebTestClient admin() {
    return as(LoginOnStudio.ADMIN, LoginOnStudio.ADMIN_PASSWORD);
  }

  /** A new member (a fresh name), made by the admin with {@code fields} besides the name. */
  public WebTestClient member(String password, Map<String, Object> fields) {
    return member("m-" + UUID.randomUUID().toString().substring(0, 8), password, fields);
  }

  /** A new member called {@code name}, made by the admin with {@code fields} besides the name. */
  public WebTestClient member(String name, String password, Map<String, Object> fields) {
    Map<String, Object> body = new HashMap<>(fields);
    body.put("username", name);
    body.put("password", password);
    admin().post().uri("/api/v1/users").bodyValue(body).exchange().expectStatus().isCreated();
    return as(name, password);
  }
}
