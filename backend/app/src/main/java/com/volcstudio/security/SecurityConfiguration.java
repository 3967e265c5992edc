package com.volcstudio.security;

import com.volcstudio.account.Accounts;
import com.volcstudio.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeReactiveAuthenticationManager;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter.Mode;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.session.WebSessionIdResolver;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * One security filter chain, in two shapes. Login off (the default, for a studio on localhost):
 * every request is permitted and nothing about the API changes, only the security headers are
 * added. Login on ({@code APP_AUTH_USERNAME} + {@code APP_AUTH_PASSWORD}): {@code /api/**} needs
 * HTTP Basic or the session cookie from {@code POST /api/v1/auth/login}; requests that carry the
 * session cookie also need the CSRF header. Defining our own user, authentication manager and chain
 * also keeps Spring Boot from generating a password and protecting everything with it.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  /** Open even with login on: the login itself, and the probes of a container platform. */
  static final String[] OPEN_PATHS = {
    "/api/v1/auth/login",
    "/api/v1/auth/logout",
    "/api/v1/auth/me",
    "/actuator/health",
    "/actuator/health/**"
  };

  /**
   * Only for admins (issue 17): accounts, provider keys and settings, backups, the whole queue, and
   * the metrics of everybody's work.
   */
  static final String[] ADMIN_PATHS = {
    "/api/v1/users",
    "/api/v1/users/**",
    "/api/v1/audit",
    "/api/v1/settings",
    "/api/v1/settings/**",
    "/api/v1/backups",
    "/api/v1/backups/**",
    "/api/v1/queue/pause",
    "/api/v1/queue/resume",
    "/actuator/**"
  };

  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$\\d\\d\\$[./0-9A-Za-z]{53}");

  @Bean
  ProblemWriter problemWriter(JsonMapper json) {
    return new ProblemWriter(json);
  }

  /**
   * What Spring Security's request firewall refuses is a problem too. A URL it distrusts (one that
   * climbs out of its folder once decoded, {@code /api/v1/images/..%2F..%2Fetc}, or holds an
   * encoded % or NUL) names no resource: 404, as the controllers answered for such an id before the
   * firewall existed. An unknown HTTP method is a 405, anything else (a control character in a
   * header ...) a 400.
   */
  @Bean
  ServerExchangeRejectedHandler requestRejectedHandler(ProblemWriter problems) {
    return (exchange, rejected) -> {
      String reason = String.valueOf(rejected.getMessage());
      if (reason.contains("the URL")) {
        return problems.write(exchange, HttpStatus.NOT_FOUND, "No resource at this address.");
      }
      if (reason.contains("HTTP method")) {
        return problems.write(
            exchange, HttpStatus.METHOD_NOT_ALLOWED, "This HTTP method is not supported.");
      }
      return problems.write(
          exchange,
          HttpStatus.BAD_REQUEST,
          "The request was refused: a header or parameter contains characters this server does not accept.");
    };
  }

  @Bean
  ForwardedHeadersFilter forwardedHeadersFilter(StudioSecurityProperties properties) {
    return new ForwardedHeadersFilter(new TrustedProxies(properties.trustedProxies()));
  }

  @Bean
  RequestOriginFilter requestOriginFilter(
      StudioSecurityProperties properties, ProblemWriter problems) {
    return new RequestOriginFilter(properties, problems);
  }

  /**
   * The session cookie is Secure whenever the client used https, directly or through a trusted
   * proxy. Boot's resolver decides from the connection alone, which behind a TLS-terminating proxy
   * is always plain http.
   */
  @Bean
  static BeanPostProcessor secureSessionCookie() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        return bean instanceof WebSessionIdResolver resolver
                && !(bean instanceof SecureWhenHttpsSessionIdResolver)
            ? new SecureWhenHttpsSessionIdResolver(resolver)
            : bean;
      }
    };
  }

  @Bean
  ReactiveAuthenticationManager studioAuthenticationManager(
      StudioSecurityProperties properties, Accounts accounts, AuditLog audit) {
    if (!properties.authEnabled()) {
      // Login off: nothing can authenticate (and nothing needs to).
      return authentication -> Mono.empty();
    }
    // Accounts from the database; the one of APP_AUTH_USERNAME checks APP_AUTH_PASSWORD, as the
    // single login did before accounts existed.
    String environmentPassword = encodedPassword(properties.authPassword());
    ReactiveUserDetailsService users =
        username -> accounts.details(username, environmentPassword).cast(UserDetails.class);
    // Checks the password on boundedElastic: BCrypt costs tens of milliseconds of CPU per attempt.
    var manager = new UserDetailsRepositoryReactiveAuthenticationManager(users);
    manager.setPasswordEncoder(
        new DelegatingPasswordEncoder(
            "bcrypt",
            Map.of(
                "bcrypt",
                new BCryptPasswordEncoder(),
                PlainPasswordEncoder.ID,
                new PlainPasswordEncoder())));
    return new ThrottledAuthenticationManager(manager, new LoginThrottle(Clock.systemUTC()), audit);
  }

  /**
   * APP_AUTH_PASSWORD as a stored password: a BCrypt hash ({@code {bcrypt}$2a$10$...}, or the bare
   * {@code $2a$...} that htpasswd and most tools print) is kept as it is; anything else is a plain
   * password, compared in constant time by {@link PlainPasswordEncoder}.
   */
  static String encodedPassword(String configured) {
    String value = configured.strip();
    String hash = value.startsWith("{bcrypt}") ? value.substring("{bcrypt}".length()) : value;
    if (BCRYPT.matcher(hash).matches()) {
      return "{bcrypt}" + hash;
    }
    if (value.startsWith("{bcrypt}")) {
      // A mangled hash (a shell or compose file ate the $ signs) would lock everybody out: say so
      // at start-up.
      throw new IllegalArgumentException(
          "APP_AUTH_PASSWORD starts with {bcrypt} but the rest is not a BCrypt hash "
              + "($2a$NN$ and 53 characters); in docker-compose files write each $ as $$");
    }
    return "{" + PlainPasswordEncoder.ID + "}" + value;
  }

  @Bean
  CookieServerCsrfTokenRepository csrfTokenRepository() {
    // Readable by the page's script, which echoes it in X-XSRF-TOKEN; its own origin is the only
    // one that can.
    CookieServerCsrfTokenRepository repository =
        CookieServerCsrfTokenRepository.withHttpOnlyFalse();
    repository.setCookiePath("/");
    repository.setCookieCustomizer(cookie -> cookie.sameSite("Lax"));
    return repository;
  }

  @Bean
  ServerSecurityContextRepository securityContextRepository() {
    return new WebSessionServerSecurityContextRepository();
  }

  @Bean
  SecurityWebFilterChain securityWebFilterChain(
      ServerHttpSecurity http,
      StudioSecurityProperties properties,
      ReactiveAuthenticationManager authenticationManager,
      ProblemWriter problems,
      CookieServerCsrfTokenRepository csrfTokens,
      ServerSecurityContextRepository contexts,
      Accounts accounts,
      OidcProperties oidc,
      AuditLog audit,
      @Value("${server.reactive.session.cookie.name:SESSION}") String sessionCookie,
      @Value("${springdoc.api-docs.path:/v3/api-docs}") String apiDocsPath) {
    http.headers(
            headers ->
                headers
                    // Controllers choose their own Cache-Control (immutable images, no-cache
                    // index.html); the
                    // default no-store on every response would undo that.
                    .cache(cache -> cache.disable())
                    .contentTypeOptions(options -> {})
                    .frameOptions(frame -> frame.mode(Mode.DENY))
                    .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                    .writer(new ContentSecurityPolicyWriter()))
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        // A refused API call must not start a session just to remember where to go after login.
        .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()));
    corsOrigins(properties)
        .ifPresentOrElse(
            source -> http.cors(cors -> cors.configurationSource(source)),
            () -> http.cors(ServerHttpSecurity.CorsSpec::disable));

    if (!properties.authEnabled()) {
      if (oidc.enabled()) {
        // Accounts exist only with login on, and the first admin is APP_AUTH_USERNAME's.
        throw new IllegalStateException(
            "OIDC_ISSUER_URI needs login on: set APP_AUTH_USERNAME and APP_AUTH_PASSWORD too (that"
                + " login is the first admin)");
      }
      return http.authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
          .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
          .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
          .csrf(ServerHttpSecurity.CsrfSpec::disable)
          .build();
    }

    ApiAuthenticationEntryPoint entryPoint = new ApiAuthenticationEntryPoint(problems);
    ServerAccessDeniedHandler denied =
        (exchange, failure) ->
            problems.write(
                exchange,
                HttpStatus.FORBIDDEN,
                "Missing or wrong CSRF token: send the XSRF-TOKEN cookie's value in the X-XSRF-TOKEN header.");
    ServerAccessDeniedHandler notAdmin =
        (exchange, failure) ->
            problems.write(
                exchange,
                HttpStatus.FORBIDDEN,
                "This needs an admin account: members cannot manage accounts, keys, settings, backups or the whole queue.");
    if (oidc.enabled()) {
      // /oauth2/authorization/oidc sends the browser to the provider, which sends it back to
      // /login/oauth2/code/oidc; then the session is the account's, as after the login form.
      SingleSignOn sso = new SingleSignOn(oidc, accounts, audit);
      http.oauth2Login(
          login ->
              login
                  .clientRegistrationRepository(sso.registrations())
                  .securityContextRepository(contexts)
                  .authenticationManager(
                      new OidcAuthorizationCodeReactiveAuthenticationManager(
                          new WebClientReactiveAuthorizationCodeTokenResponseClient(), sso.users()))
                  .authenticationSuccessHandler(new RedirectServerAuthenticationSuccessHandler("/"))
                  .authenticationFailureHandler(
                      new RedirectServerAuthenticationFailureHandler("/?sso=failed")));
    }
    return http.authenticationManager(authenticationManager)
        .securityContextRepository(contexts)
        .authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers(OPEN_PATHS)
                    .permitAll()
                    // The API description is the same for every installation and holds nothing
                    // secret; Swagger UI
                    // needs it before anybody has logged in (docs at /api/docs, its files under
                    // /api/swagger-ui/).
                    .pathMatchers(apiDocsPath, "/api/docs", "/api/docs/**", "/api/swagger-ui/**")
                    .permitAll()
                    .pathMatchers(ADMIN_PATHS)
                    .hasRole("ADMIN")
                    .pathMatchers("/api/**")
                    .authenticated()
                    // The page itself, its assets and Swagger UI: the UI asks for the login when
                    // the API says 401.
                    .anyExchange()
                    .permitAll())
        // Basic is checked on every request and keeps nothing: left to the chain's default, each
        // Basic
        // request would create a session (and a session cookie the client never sends back).
        .httpBasic(
            basic ->
                basic
                    .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                    .authenticationEntryPoint(entryPoint))
        .addFilterAt(BearerTokens.filter(accounts, entryPoint), SecurityWebFiltersOrder.HTTP_BASIC)
        .addFilterBefore(
            new AccountStateFilter(accounts, problems), SecurityWebFiltersOrder.AUTHORIZATION)
        .exceptionHandling(
            handling -> handling.authenticationEntryPoint(entryPoint).accessDeniedHandler(notAdmin))
        .csrf(
            csrf ->
                csrf.csrfTokenRepository(csrfTokens)
                    // The header must equal the cookie as it is; the default XOR-masked form is for
                    // tokens
                    // rendered into HTML, which this app never does.
                    .csrfTokenRequestHandler(new ServerCsrfTokenRequestAttributeHandler())
                    .requireCsrfProtectionMatcher(needsCsrfToken(sessionCookie))
                    .accessDeniedHandler(denied))
        .addFilterAfter(issueCsrfCookie(), SecurityWebFiltersOrder.CSRF)
        .build();
  }

  /**
   * CSRF guards what a browser sends on its own: the session cookie. A request without it (a REST
   * client with Basic, or nobody at all) has nothing to forge and gets the plain 401 when
   * anonymous. The login is exempt: it carries no authority yet, and a stale cookie must not stop
   * anyone from logging in.
   */
  static ServerWebExchangeMatcher needsCsrfToken(String sessionCookie) {
    return exchange -> {
      ServerHttpRequest request = exchange.getRequest();
      boolean required =
          RequestOriginFilter.changesState(request.getMethod())
              && request.getCookies().containsKey(sessionCookie)
              && !request.getPath().pathWithinApplication().value().equals("/api/v1/auth/login");
      return required
          ? ServerWebExchangeMatcher.MatchResult.match()
          : ServerWebExchangeMatcher.MatchResult.notMatch();
    };
  }

  /**
   * The CSRF token is created lazily, only when something asks for it; ask on every request so that
   * the XSRF-TOKEN cookie is there before the page's first unsafe request (it is set once, then
   * reused).
   */
  private static WebFilter issueCsrfCookie() {
    return (exchange, chain) -> {
      Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
      return (token != null ? token.then() : Mono.<Void>empty()).then(chain.filter(exchange));
    };
  }

  /**
   * CORS for {@code /api/**} from APP_CORS_ORIGINS; empty when none are listed (same origin only).
   */
  private static Optional<UrlBasedCorsConfigurationSource> corsOrigins(
      StudioSecurityProperties properties) {
    if (properties.corsOrigins().isEmpty()) {
      return Optional.empty();
    }
    CorsConfiguration cors = new CorsConfiguration();
    cors.setAllowedOrigins(properties.corsOrigins());
    cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"));
    cors.setAllowedHeaders(List.of("*"));
    cors.setExposedHeaders(List.of("Retry-After", "Location", "ETag", "Content-Disposition"));
    // Credentials (Basic, or the session cookie) only mean something when there is a login.
    cors.setAllowCredentials(properties.authEnabled());
    cors.setMaxAge(Duration.ofHours(1));
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/api/**", cors);
    return Optional.of(source);
  }
}
