package com.volcstudio.security;

import com.volcstudio.account.CallerPrincipal;
import com.volcstudio.account.Role;
import com.volcstudio.audit.AuditLog;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * Login for the UI: a JSON login that answers with a session cookie, so that {@code EventSource}
 * (which cannot send an Authorization header) works too. REST clients may skip it and send HTTP
 * Basic.
 */
@RestController
class AuthController {

  record LoginRequest(
      @NotBlank @Size(max = 200) String username, @NotBlank @Size(max = 200) String password) {
    @Override
    public String toString() {
      return "LoginRequest[username=" + username + ", password=****]";
    }
  }

  record LoginResponse(String username) {}

  /**
   * Who is logged in (null: nobody), and whether login is on at all.
   *
   * @param role what the account may do (null: nobody logged in, or login off)
   */
  /**
   * @param sso whether single sign-on is configured: the login dialog then offers {@code
   *     /oauth2/authorization/oidc}
   */
  record CurrentUser(
      @Nullable String username, boolean authEnabled, @Nullable Role role, boolean sso) {}

  private final StudioSecurityProperties properties;
  private final ReactiveAuthenticationManager authenticationManager;
  private final ServerSecurityContextRepository contexts;
  private final CookieServerCsrfTokenRepository csrfTokens;
  private final AuditLog audit;
  private final OidcProperties oidc;

  AuthController(
      StudioSecurityProperties properties,
      ReactiveAuthenticationManager authenticationManager,
      ServerSecurityContextRepository contexts,
      CookieServerCsrfTokenRepository csrfTokens,
      AuditLog audit,
      OidcProperties oidc) {
    this.audit = audit;
    this.oidc = oidc;
    this.properties = properties;
    this.authenticationManager = authenticationManager;
    this.contexts = contexts;
    this.csrfTokens = csrfTokens;
  }

  @ApiResponse(responseCode = "200", description = "Logged in: the session cookie is set")
  @ApiResponse(responseCode = "401", description = "Wrong user name or password")
  @ApiResponse(
      responseCode = "429",
      description = "Too many failed logins from this address: try again after Retry-After seconds")
  @ApiResponse(
      responseCode = "404",
      description = "Login is off (APP_AUTH_USERNAME and APP_AUTH_PASSWORD are not set)")
  @PostMapping("/api/v1/auth/login")
  Mono<LoginResponse> login(@Valid @RequestBody LoginRequest body, ServerWebExchange exchange) {
    if (!properties.authEnabled()) {
      return Mono.error(
          problem(
              HttpStatus.NOT_FOUND,
              "Login is off: set APP_AUTH_USERNAME and APP_AUTH_PASSWORD to turn it on."));
    }
    return authenticationManager
        .authenticate(
            UsernamePasswordAuthenticationToken.unauthenticated(body.username(), body.password()))
        .onErrorMap(
            AuthenticationException.class,
            e -> {
              if (e instanceof LoginThrottledException throttled) {
                ErrorResponseException refused =
                    problem(HttpStatus.TOO_MANY_REQUESTS, throttled.detail());
                refused
                    .getHeaders()
                    .set(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
                return refused;
              }
              return problem(HttpStatus.UNAUTHORIZED, "Wrong user name or password.");
            })
        .switchIfEmpty(
            Mono.error(() -> problem(HttpStatus.UNAUTHORIZED, "Wrong user name or password.")))
        // Saving the context into the session also gives the session a new id (no session
        // fixation).
        .flatMap(
            authentication ->
                contexts
                    .save(exchange, new SecurityContextImpl(authentication))
                    .then(renewCsrfToken(exchange))
                    .then(
                        audit.recordAs(
                            authentication.getName(),
                            "login.succeeded",
                            authentication.getName(),
                            "session"))
                    .thenReturn(new LoginResponse(authentication.getName())));
  }

  /** A CSRF token somebody may have planted before the login is not carried into the session. */
  private Mono<Void> renewCsrfToken(ServerWebExchange exchange) {
    exchange.getResponse().getCookies().remove("XSRF-TOKEN");
    return csrfTokens
        .generateToken(exchange)
        .flatMap(token -> csrfTokens.saveToken(exchange, token));
  }

  @PostMapping("/api/v1/auth/logout")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> logout(ServerWebExchange exchange) {
    return exchange.getSession().flatMap(WebSession::invalidate);
  }

  @GetMapping("/api/v1/auth/me")
  Mono<CurrentUser> me(ServerWebExchange exchange) {
    if (!properties.authEnabled()) {
      return Mono.just(new CurrentUser(null, false, null, false));
    }
    return exchange
        .getPrincipal()
        .filter(principal -> !(principal instanceof AnonymousAuthenticationToken))
        .map(
            principal ->
                new CurrentUser(
                    principal.getName(),
                    true,
                    principal instanceof Authentication authentication
                            && authentication.getPrincipal() instanceof CallerPrincipal caller
                        ? caller.caller().role()
                        : null,
                    oidc.enabled()))
        .defaultIfEmpty(new CurrentUser(null, true, null, oidc.enabled()));
  }

  private static ErrorResponseException problem(HttpStatus status, String detail) {
    return new ErrorResponseException(
        status, ProblemDetail.forStatusAndDetail(status, detail), null);
  }
}
