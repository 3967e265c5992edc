package com.volcstudio.account;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.volcstudio.web.ForbiddenException;
import com.volcstudio.web.InvalidRequestException;
import com.volcstudio.web.RandomIds;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Who the accounts are, for the security package (logins, tokens, whether a session's account is
 * still active) and for the controllers of this package.
 */
@Service
public class Accounts {

  /** A disabled or deleted account's session stops working within this. */
  static final Duration STATE_CACHED_FOR = Duration.ofMillis(500);

  private final AccountRepository accounts;
  private final TokenRepository tokens;
  private final Clock clock = Clock.systemUTC();
  private final RandomIds ids = new RandomIds();
  private final AsyncCache<String, Boolean> active =
      Caffeine.newBuilder().expireAfterWrite(STATE_CACHED_FOR).maximumSize(10_000).buildAsync();

  Accounts(AccountRepository accounts, TokenRepository tokens) {
    this.accounts = accounts;
    this.tokens = tokens;
  }

  public Mono<Account> byUsername(String username) {
    return accounts.findByUsername(username);
  }

  /**
   * The user as Spring Security checks a password against it. The account of APP_AUTH_USERNAME
   * carries {@code environmentPassword}, already encoded; the others their stored hash.
   */
  public Mono<AccountDetails> details(String username, @Nullable String environmentPassword) {
    return accounts
        .findByUsername(username)
        .map(
            account ->
                new AccountDetails(
                    caller(account),
                    account.fromEnvironment() ? environmentPassword : account.passwordHash(),
                    !account.disabled()));
  }

  /** The authentication a personal API token stands for; empty for an unknown or revoked one. */
  public Mono<Authentication> authenticateToken(String token) {
    if (!TokenSecrets.wellFormed(token)) {
      return Mono.empty();
    }
    return tokens
        .findByHash(TokenSecrets.hash(token))
        .flatMap(
            owner ->
                accounts
                    .findById(owner.userId())
                    .filter(account -> !account.disabled())
                    .flatMap(
                        account -> {
                          // Written at most once a minute per token, not on every request.
                          Instant now = clock.instant();
                          Mono<Void> used =
                              owner.usedBefore(now)
                                  ? tokens.used(owner.tokenId(), now)
                                  : Mono.empty();
                          return used.thenReturn(authenticated(account));
                        }));
  }

  private static Authentication authenticated(Account account) {
    AccountDetails details = new AccountDetails(caller(account), null, true);
    return UsernamePasswordAuthenticationToken.authenticated(
        details, null, details.getAuthorities());
  }

  /**
   * Whether the account still exists and is not disabled: asked on every request of a session, so
   * answered from a cache that forgets within {@link #STATE_CACHED_FOR} (and at once on a change
   * made here).
   */
  public Mono<Boolean> active(String userId) {
    return Mono.fromFuture(
        active.get(
            userId,
            (id, executor) ->
                accounts
                    .findById(id)
                    .map(account -> !account.disabled())
                    .defaultIfEmpty(false)
                    .toFuture()),
        true);
  }

  /**
   * The models the caller's account may use, as stored now (an admin's change applies to the next
   * submit, whatever session the account has); empty = every model.
   */
  public Mono<List<String>> allowedModels(Caller caller) {
    return accounts.findById(caller.userId()).map(Account::allowedModels).defaultIfEmpty(List.of());
  }

  void changed(String userId) {
    active.synchronous().invalidate(userId);
  }

  /**
   * The account of APP_AUTH_USERNAME: created on the first start with login on, and on every start
   * made an enabled admin whose password is the environment's, as the single login was before
   * accounts existed. An account made through the API under that name becomes it.
   */
  public Mono<Account> ensureEnvironmentAdmin(String username) {
    String name = username.strip();
    return accounts
        .disableFormerEnvironmentAccounts(name, clock.instant())
        .then(environmentAdmin(name));
  }

  private Mono<Account> environmentAdmin(String name) {
    return accounts
        .findByUsername(name)
        .flatMap(
            existing -> {
              Account admin =
                  new Account(
                      existing.id(),
                      name,
                      null,
                      Role.ADMIN,
                      existing.monthlyImageQuota(),
                      List.of(),
                      false,
                      existing.createdAt(),
                      existing.updatedAt());
              if (admin.equals(existing)) {
                return Mono.just(existing);
              }
              Account updated = admin.withUpdatedAt(clock.instant());
              changed(existing.id());
              return accounts.update(updated).thenReturn(updated);
            })
        .switchIfEmpty(
            Mono.defer(
                () -> {
                  var now = clock.instant();
                  Account admin =
                      new Account(
                          ids.next(), name, null, Role.ADMIN, null, List.of(), false, now, now);
                  return accounts
                      .insert(admin)
                      .thenReturn(admin)
                      // Two replicas starting at once: the other one made it.
                      .onErrorResume(
                          DataIntegrityViolationException.class,
                          e -> accounts.findByUsername(name));
                }));
  }

  /** What {@code user_id} names for everybody's work (admins). */
  public static final String EVERYBODY = "all";

  /**
   * The owner a list is narrowed to: the scope's own (everything when login is off), or what an
   * admin names with {@code user_id}: a user, or {@link #EVERYBODY} (empty). A member may name only
   * themselves (403 otherwise); an id that is no account is a field error.
   */
  public Mono<Optional<String>> listedOwner(Scope scope, @Nullable String userId) {
    if (userId == null) {
      return Mono.just(Optional.ofNullable(scope.listed()));
    }
    if (userId.strip().equals(EVERYBODY)) {
      return scope.admin() ? Mono.just(Optional.empty()) : Mono.error(notYours());
    }
    return accounts
        .findById(userId.strip())
        .map(account -> account.fromEnvironment() ? Caller.FIRST_OWNER : account.id())
        .switchIfEmpty(
            Mono.error(() -> new InvalidRequestException("user_id", "is no user of this studio")))
        .flatMap(
            owner ->
                scope.admin() || owner.equals(scope.owner())
                    ? Mono.just(Optional.of(owner))
                    : Mono.error(notYours()));
  }

  private static ForbiddenException notYours() {
    return new ForbiddenException("user_id: only an admin may look at another user's work.");
  }

  /**
   * The account a single-sign-on login stands for (issue 17): the one of that user name, made as a
   * member on the first login (with a password nobody knows: an admin may give it one). With {@code
   * admin} known (the provider's groups are configured), the role follows it on every login, except
   * for the account of APP_AUTH_USERNAME, which stays the environment's. A disabled account is
   * refused: {@link DisabledException}.
   */
  public Mono<Caller> singleSignOn(String username, @Nullable Boolean admin) {
    String name = username.strip();
    if (!UserRules.wellFormedUsername(name)) {
      return Mono.error(
          new BadCredentialsException(
              "the provider's user name is no user name this studio takes: " + name));
    }
    // BCrypt costs tens of milliseconds of CPU: off the event loop.
    Mono<Account> made =
        Mono.fromCallable(UNKNOWN_PASSWORD::get)
            .subscribeOn(Schedulers.boundedElastic())
            .flatMap(
                hash -> {
                  Instant now = clock.instant();
                  Account account =
                      new Account(
                          ids.next(),
                          name,
                          hash,
                          Boolean.TRUE.equals(admin) ? Role.ADMIN : Role.MEMBER,
                          null,
                          List.of(),
                          false,
                          now,
                          now);
                  return accounts
                      .insert(account)
                      .thenReturn(account)
                      // Two first logins at once: the other one made it.
                      .onErrorResume(
                          DataIntegrityViolationException.class,
                          e -> accounts.findByUsername(name));
                });
    return accounts
        .findByUsername(name)
        .flatMap(
            existing -> {
              if (existing.disabled()) {
                return Mono.error(new DisabledException("account disabled"));
              }
              Role role = admin == null ? existing.role() : admin ? Role.ADMIN : Role.MEMBER;
              if (existing.fromEnvironment() || role == existing.role()) {
                return Mono.just(existing);
              }
              Account changed = existing.withRole(role).withUpdatedAt(clock.instant());
              changed(existing.id());
              return accounts.update(changed).thenReturn(changed);
            })
        .switchIfEmpty(made)
        .map(Accounts::caller);
  }

  /** A BCrypt hash of 32 random bytes: a password that exists and that nobody knows. */
  private static final Supplier<String> UNKNOWN_PASSWORD =
      () -> {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return "{bcrypt}"
            + new BCryptPasswordEncoder().encode(Base64.getEncoder().encodeToString(secret));
      };

  static Caller caller(Account account) {
    return new Caller(account.id(), account.username(), account.role(), account.fromEnvironment());
  }
}
