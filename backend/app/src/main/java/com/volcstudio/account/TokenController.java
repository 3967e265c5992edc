package com.volcstudio.account;

import com.volcstudio.audit.AuditLog;
import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.InvalidRequestException;
import com.volcstudio.web.NotFoundException;
import com.volcstudio.web.RandomIds;
import com.volcstudio.web.Texts;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/tokens}: the caller's own personal API tokens, for REST clients ({@code
 * Authorization: Bearer vis_…}). A token is shown once, when made; only its hash is kept.
 */
@RestController
class TokenController {

  static final int MAX_NAME = 100;
  static final int MAX_PER_USER = 50;

  record TokenRequest(@Nullable String name) {}

  /** A new token: the only answer that ever holds {@code token}. */
  record NewToken(String tokenId, String name, String token, Instant createdAt) {}

  record Tokens(List<ApiToken> items) {}

  private final TokenRepository tokens;
  private final TokenSecrets secrets = new TokenSecrets();
  private final RandomIds ids = new RandomIds();
  private final Clock clock = Clock.systemUTC();

  private final AuditLog audit;

  TokenController(TokenRepository tokens, AuditLog audit) {
    this.tokens = tokens;
    this.audit = audit;
  }

  @ApiResponse(responseCode = "200", description = "The caller's tokens, newest first")
  @ApiResponse(responseCode = "404", description = "Login is off: there are no accounts")
  @GetMapping("/api/v1/tokens")
  Mono<Tokens> listTokens() {
    return caller()
        .flatMapMany(caller -> tokens.findByUser(caller.userId()))
        .collectList()
        .map(Tokens::new);
  }

  @ApiResponse(responseCode = "201", description = "Created: the token is in this answer only")
  @ApiResponse(responseCode = "400", description = "A bad name, or 50 tokens already")
  @ApiResponse(responseCode = "404", description = "Login is off: there are no accounts")
  @PostMapping("/api/v1/tokens")
  Mono<ResponseEntity<NewToken>> createToken(@RequestBody TokenRequest request) {
    String name = request.name() == null ? "" : request.name().strip();
    return caller()
        .flatMap(
            caller -> {
              List<FieldViolation> violations = new java.util.ArrayList<>();
              if (name.isEmpty() || name.length() > MAX_NAME) {
                violations.add(new FieldViolation("name", "must be 1–" + MAX_NAME + " characters"));
              } else if (!Texts.isWellFormed(name)) {
                violations.add(new FieldViolation("name", Texts.MALFORMED));
              }
              if (!violations.isEmpty()) {
                return Mono.error(new InvalidRequestException(violations));
              }
              return tokens
                  .countByUser(caller.userId())
                  .flatMap(
                      count -> {
                        if (count >= MAX_PER_USER) {
                          return Mono.error(
                              new InvalidRequestException(
                                  "name",
                                  "cannot be added: an account has at most "
                                      + MAX_PER_USER
                                      + " tokens; delete one first"));
                        }
                        String token = secrets.next();
                        NewToken made = new NewToken(ids.next(), name, token, clock.instant());
                        return tokens
                            .insert(
                                made.tokenId(),
                                caller.userId(),
                                name,
                                TokenSecrets.hash(token),
                                made.createdAt())
                            .then(audit.record("token.created", name, made.tokenId()))
                            .thenReturn(
                                ResponseEntity.created(
                                        URI.create("/api/v1/tokens/" + made.tokenId()))
                                    .body(made));
                      });
            });
  }

  @ApiResponse(responseCode = "204", description = "Revoked: it no longer authenticates anything")
  @ApiResponse(responseCode = "404", description = "No such token of the caller's, or login is off")
  @DeleteMapping("/api/v1/tokens/{token_id}")
  Mono<ResponseEntity<Void>> deleteToken(@PathVariable("token_id") String id) {
    return caller()
        .flatMap(caller -> tokens.delete(caller.userId(), id))
        .flatMap(
            deleted ->
                deleted
                    ? audit
                        .record("token.revoked", id, null)
                        .thenReturn(ResponseEntity.noContent().<Void>build())
                    : Mono.error(new NotFoundException("token", id)));
  }

  private static Mono<Caller> caller() {
    return Caller.current().switchIfEmpty(Mono.error(UserController::loginOff));
  }
}
