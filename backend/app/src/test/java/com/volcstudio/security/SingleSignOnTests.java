package com.volcstudio.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Single sign-on (issue 17) against a real OpenID Connect provider: Spring Authorization Server,
 * started from the oidc-provider module's jar as a child process on a free loopback port. Through
 * the authorization code flow over real HTTP: a provider user in OIDC_ADMIN_GROUP becomes an admin,
 * anyone else a member on their first sign-in; the session then works like the login form's; a
 * disabled account is sent back with sso=failed.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "APP_AUTH_USERNAME=admin",
      "APP_AUTH_PASSWORD=open sesame 42",
      "OIDC_CLIENT_ID=studio",
      "OIDC_CLIENT_SECRET=studio secret",
      "OIDC_ADMIN_GROUP=studio-admins"
    })
@AutoConfigureWebTestClient
class SingleSignOnTests {

  private static final Path PROVIDER_JAR =
      Path.of("../oidc-provider/target/volc-oidc-provider-0.1.0.jar");
  private static final Pattern LISTENING =
      Pattern.compile("OIDC provider listening on (http://127\\.0\\.0\\.1:\\d+)");
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

  private static Process provider;
  private static String issuer;

  @LocalServerPort int port;
  @Autowired WebTestClient http;
  @Autowired JsonMapper json;

  @DynamicPropertySource
  static void provider(DynamicPropertyRegistry registry) throws Exception {
    assertThat(PROVIDER_JAR)
        .as("the provider's jar (mvn package in backend/ builds oidc-provider before app)")
        .exists();
    provider =
        new ProcessBuilder(
                "java",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                PROVIDER_JAR.toString(),
                "--server.address=127.0.0.1",
                "--server.port=0",
                "--client-id=studio",
                "--client-secret=studio secret",
                "--users=ann:ann password:studio-admins,bo:bo password")
            .redirectErrorStream(true)
            .start();
    issuer = awaitListening(provider);
    registry.add("OIDC_ISSUER_URI", () -> issuer);
  }

  private static String awaitListening(Process process) throws Exception {
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    url.complete(m.group(1));
                  }
                }
                url.completeExceptionally(new IOException("the OIDC provider ended"));
              } catch (IOException e) {
                url.completeExceptionally(e);
              }
            },
            "oidc-provider-output");
    reader.setDaemon(true);
    reader.start();
    return url.get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopProvider() throws Exception {
    if (provider != null) {
      provider.destroy();
      provider.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A browser: cookies kept, redirects followed here, one by one. */
  private record Browser(HttpClient client) {
    static Browser open() {
      return new Browser(
          HttpClient.newBuilder()
              .cookieHandler(new CookieManager())
              .followRedirects(HttpClient.Redirect.NEVER)
              .connectTimeout(Duration.ofSeconds(10))
              .build());
    }

    HttpResponse<String> get(URI uri) throws Exception {
      return client.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postForm(URI uri, Map<String, String> form) throws Exception {
      String body =
          form.entrySet().stream()
              .map(
                  e ->
                      URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                          + "="
                          + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
              .collect(Collectors.joining("&"));
      return client.send(
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  /**
   * Opens the studio's sign-in link and follows the redirects, filling in the provider's login form
   * on the way; returns where the studio sends the browser at the end.
   */
  private URI signIn(Browser browser, String user, String password) throws Exception {
    URI studio = URI.create("http://127.0.0.1:" + port);
    URI next = studio.resolve("/oauth2/authorization/oidc");
    for (int hops = 0; hops < 12; hops++) {
      HttpResponse<String> response = browser.get(next);
      if (response.statusCode() == 200 && next.getPath().equals("/login")) {
        Matcher csrf = CSRF.matcher(response.body());
        assertThat(csrf.find()).as("the provider's login form").isTrue();
        response =
            browser.postForm(
                next, Map.of("username", user, "password", password, "_csrf", csrf.group(1)));
      }
      assertThat(response.statusCode()).as("redirect from " + next).isBetween(301, 303);
      URI location = next.resolve(response.headers().firstValue("Location").orElseThrow());
      if (location.getPort() == port && !location.getPath().startsWith("/login/oauth2/")) {
        return location;
      }
      next = location;
    }
    throw new AssertionError("no end to the redirects");
  }

  private JsonNode me(Browser browser) throws Exception {
    HttpResponse<String> response =
        browser.get(URI.create("http://127.0.0.1:" + port + "/api/v1/auth/me"));
    assertThat(response.statusCode()).isEqualTo(200);
    return json.readTree(response.body());
  }

  @Test
  void aProviderUserSignsInAsTheAccountOfTheirNameAdminOnlyThroughTheAdminGroup() throws Exception {
    Browser ann = Browser.open();
    assertThat(signIn(ann, "ann", "ann password").toString()).endsWith("/");
    JsonNode annMe = me(ann);
    assertThat(annMe.path("username").asString()).isEqualTo("ann");
    assertThat(annMe.path("role").asString()).isEqualTo("admin");
    assertThat(annMe.path("sso").asBoolean()).isTrue();

    Browser bo = Browser.open();
    signIn(bo, "bo", "bo password");
    assertThat(me(bo).path("role").asString()).isEqualTo("member");
    // The session is a member's like any other: the API answers, the admin areas refuse.
    URI studio = URI.create("http://127.0.0.1:" + port);
    assertThat(bo.get(studio.resolve("/api/v1/history")).statusCode()).isEqualTo(200);
    assertThat(bo.get(studio.resolve("/api/v1/users")).statusCode()).isEqualTo(403);

    // The accounts were made on the first sign-in, as the admin sees them.
    JsonNode users =
        json.readTree(
            http.get()
                .uri("/api/v1/users")
                .headers(h -> h.setBasicAuth("admin", "open sesame 42"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
    String boId =
        users
            .path("items")
            .valueStream()
            .filter(u -> u.path("username").asString().equals("bo"))
            .findFirst()
            .orElseThrow()
            .path("user_id")
            .asString();

    // Disabled: bo's session ends, and the next sign-in is refused back to the page.
    http.patch()
        .uri("/api/v1/users/" + boId)
        .headers(h -> h.setBasicAuth("admin", "open sesame 42"))
        .bodyValue(Map.of("disabled", true))
        .exchange()
        .expectStatus()
        .isOk();
    Thread.sleep(600);
    assertThat(bo.get(studio.resolve("/api/v1/history")).statusCode()).isEqualTo(401);
    assertThat(signIn(Browser.open(), "bo", "bo password").getQuery()).isEqualTo("sso=failed");
  }
}
