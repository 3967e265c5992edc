package com.volcstudio.oidcprovider;

import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;

/**
 * One client ({@code --client-id}, {@code --client-secret}, redirect {@code
 * http://127.0.0.1/login/oauth2/code/oidc}: for a loopback address the port is not compared, RFC
 * 8252 §7.3), and users {@code name:password[:group]} from {@code --users}; a user's group goes
 * into the ID token's {@code groups} claim.
 */
@Configuration
class ProviderConfiguration {

  @Bean
  @Order(1)
  SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
    OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
    http.securityMatcher(server.getEndpointsMatcher())
        .with(server, s -> s.oidc(Customizer.withDefaults()))
        .authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .exceptionHandling(
            e -> e.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")));
    return http.build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain login(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .formLogin(Customizer.withDefaults());
    return http.build();
  }

  @Bean
  RegisteredClientRepository clients(
      @Value("${client-id}") String clientId, @Value("${client-secret}") String clientSecret) {
    return new InMemoryRegisteredClientRepository(
        RegisteredClient.withId(UUID.randomUUID().toString())
            .clientId(clientId)
            .clientSecret("{noop}" + clientSecret)
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri("http://127.0.0.1/login/oauth2/code/oidc")
            .scope(OidcScopes.OPENID)
            .scope(OidcScopes.PROFILE)
            .scope(OidcScopes.EMAIL)
            .clientSettings(ClientSettings.builder().requireAuthorizationConsent(false).build())
            .build());
  }

  @Bean
  UserDetailsService users(@Value("${users}") List<String> users) {
    return new InMemoryUserDetailsManager(
        users.stream()
            .map(spec -> spec.split(":"))
            .map(
                p ->
                    User.withUsername(p[0])
                        .password("{noop}" + p[1])
                        .authorities(p.length > 2 ? new String[] {"GROUP_" + p[2]} : new String[0])
                        .build())
            .toList()
            .toArray(new org.springframework.security.core.userdetails.UserDetails[0]));
  }

  /** The user's groups as a claim of the ID token, as company providers send them. */
  @Bean
  OAuth2TokenCustomizer<JwtEncodingContext> groups() {
    return context -> {
      if ("id_token".equals(context.getTokenType().getValue())) {
        context
            .getClaims()
            .claim(
                "groups",
                context.getPrincipal().getAuthorities().stream()
                    .map(a -> a.getAuthority())
                    .filter(a -> a.startsWith("GROUP_"))
                    .map(a -> a.substring("GROUP_".length()))
                    .toList())
            .claim("preferred_username", context.getPrincipal().getName());
      }
    };
  }

  @EventListener
  void started(WebServerInitializedEvent event) {
    System.out.println(
        "OIDC provider listening on http://127.0.0.1:" + event.getWebServer().getPort());
  }
}
