package com.volcstudio.preset;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.catalog.ModelCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.r2dbc.test.autoconfigure.AutoConfigureDataR2dbc;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;

/**
 * The presets API as a slice: its controller, the real repository on the H2 file database with the
 * real migrations, the catalog its checks use and the app's problem+json handling; none of the rest
 * of the app (queue, providers, security filters: their own tests cover them).
 */
@WebFluxTest(
    controllers = PresetController.class,
    excludeAutoConfiguration = {
      ReactiveWebSecurityAutoConfiguration.class,
      ReactiveUserDetailsServiceAutoConfiguration.class
    },
    excludeFilters =
        @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = WebFilter.class))
@AutoConfigureDataR2dbc
@ImportAutoConfiguration(FlywayAutoConfiguration.class)
@Import({PresetRepository.class, PresetApiTests.RealCatalog.class})
@TestPropertySource(properties = "DATA_DIR=target/test-data/${random.uuid}")
class PresetApiTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient http;

  /** The built-in catalog, as the app loads it when DATA_DIR has no models.json of its own. */
  @TestConfiguration(proxyBeanMethods = false)
  static class RealCatalog {
    @Bean
    ModelCatalog modelCatalog() {
      return ModelCatalog.load(Path.of("target/test-data/no-catalog-override"));
    }
  }

  @Test
  void savesListsReplacesAndDeletesAPreset() {
    String name = "水彩 " + UUID.randomUUID().toString().substring(0, 6);
    Map<String, Object> created =
        http.post()
            .uri("/api/v1/presets")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                Map.of(
                    "name",
                    name,
                    "params",
                    Map.of(
                        "model",
                        "general_v2.0_pro",
                        "width",
                        1024,
                        "height",
                        768,
                        "num_images",
                        2,
                        "steps",
                        20,
                        "options",
                        Map.of("use_pre_llm", true))))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectHeader()
            .valueMatches("Location", "/api/v1/presets/.+")
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    String id = (String) created.get("id");
    assertThat(created).containsEntry("name", name);
    @SuppressWarnings("unchecked")
    Map<String, Object> params = (Map<String, Object>) created.get("params");
    assertThat(params)
        .containsEntry("num_images", 2)
        .containsEntry("options", Map.of("use_pre_llm", true));

    http.get()
        .uri("/api/v1/presets")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[?(@.id == '" + id + "')].params.width")
        .isEqualTo(List.of(1024));

    http.put()
        .uri("/api/v1/presets/{id}", id)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("name", name + " v2", "params", Map.of("model", "general_v3.0")))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.name")
        .isEqualTo(name + " v2")
        .jsonPath("$.params.model")
        .isEqualTo("general_v3.0");

    http.delete().uri("/api/v1/presets/{id}", id).exchange().expectStatus().isNoContent();
    http.delete()
        .uri("/api/v1/presets/{id}", id)
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void rejectsADuplicateName() {
    Map<String, Object> body =
        Map.of("name", "dup-" + UUID.randomUUID(), "params", Map.of("model", "general_v2.0"));
    http.post()
        .uri("/api/v1/presets")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isCreated();
    expectFieldError(body, "name");
  }

  @Test
  void rejectsParametersTheModelCannotTake() {
    expectFieldError(Map.of("name", "x", "params", Map.of("model", "dalle_9")), "params.model");
    expectFieldError(
        Map.of("name", "x", "params", Map.of("model", "general_v2.0", "width", 1001)),
        "params.width");
    expectFieldError(
        Map.of("name", "x", "params", Map.of("model", "general_v3.0", "steps", 20)),
        "params.steps");
    expectFieldError(
        Map.of(
            "name",
            "x",
            "params",
            Map.of("model", "general_v2.0", "options", Map.of("use_pre_llm", true))),
        "params.options.use_pre_llm");
    expectFieldError(Map.of("name", "", "params", Map.of("model", "general_v2.0")), "name");
    expectFieldError(Map.of("name", "x"), "params");
  }

  private void expectFieldError(Map<String, Object> body, String field) {
    http.post()
        .uri("/api/v1/presets")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.errors[?(@.field == '" + field + "')]")
        .isNotEmpty();
  }
}
