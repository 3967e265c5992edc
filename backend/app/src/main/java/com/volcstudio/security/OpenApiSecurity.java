package com.volcstudio.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The three ways to authenticate, in the OpenAPI document (Swagger UI's "Authorize" button). A
 * customizer rather than an {@code OpenAPI} bean, so that it adds to whatever title and description
 * the app sets.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiSecurity {

  @Bean
  OpenApiCustomizer securitySchemes(
      StudioSecurityProperties properties,
      @Value("${server.reactive.session.cookie.name:SESSION}") String sessionCookie) {
    String when =
        properties.authEnabled()
            ? "Login is on for this server."
            : "Login is off for this server (APP_AUTH_USERNAME/APP_AUTH_PASSWORD unset): no credentials are needed.";
    return openApi -> {
      if (openApi.getComponents() == null) {
        openApi.setComponents(new Components());
      }
      openApi
          .getComponents()
          .addSecuritySchemes(
              "basic",
              new SecurityScheme()
                  .type(SecurityScheme.Type.HTTP)
                  .scheme("basic")
                  .description(
                      "HTTP Basic with an account's user name and password (APP_AUTH_USERNAME/"
                          + "APP_AUTH_PASSWORD for the first admin), for REST clients. "
                          + when))
          .addSecuritySchemes(
              "bearer",
              new SecurityScheme()
                  .type(SecurityScheme.Type.HTTP)
                  .scheme("bearer")
                  .description(
                      "A personal API token (POST /api/v1/tokens, shown once): "
                          + "Authorization: Bearer vis_…. "
                          + when))
          .addSecuritySchemes(
              "session",
              new SecurityScheme()
                  .type(SecurityScheme.Type.APIKEY)
                  .in(SecurityScheme.In.COOKIE)
                  .name(sessionCookie)
                  .description(
                      "The session cookie POST /api/v1/auth/login sets. Unsafe requests that carry it also "
                          + "need the X-XSRF-TOKEN header, echoing the XSRF-TOKEN cookie. "
                          + when));
      if (!properties.authEnabled()) {
        return;
      }
      openApi.setSecurity(
          List.of(
              new SecurityRequirement().addList("basic"),
              new SecurityRequirement().addList("bearer"),
              new SecurityRequirement().addList("session")));
      // The login endpoints themselves are open.
      openApi
          .getPaths()
          .forEach(
              (path, item) -> {
                if (path.startsWith("/api/v1/auth/")) {
                  item.readOperations().forEach(operation -> operation.setSecurity(List.of()));
                }
              });
    };
  }
}
