package com.volcstudio.account;

import com.volcstudio.audit.AuditLog;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.web.InvalidRequestException;
import com.volcstudio.web.NotFoundException;
import com.volcstudio.web.RandomIds;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** What an admin does to accounts: list, create, change, delete. */
@Service
class UserAdmin {

  private final AccountRepository accounts;
  private final Accounts state;
  private final UserRules rules;
  private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
  private final Clock clock = Clock.systemUTC();
  private final RandomIds ids = new RandomIds();

  private final AuditLog audit;

  UserAdmin(AccountRepository accounts, Accounts state, ModelCatalog catalog, AuditLog audit) {
    this.audit = audit;
    this.accounts = accounts;
    this.state = state;
    this.rules = new UserRules(catalog);
  }

  Flux<Account> list() {
    return accounts.findAll();
  }

  Mono<Account> get(String id) {
    return accounts.findById(id).switchIfEmpty(Mono.error(() -> new NotFoundException("user", id)));
  }

  Mono<Account> create(UserRequest request) {
    return Mono.fromSupplier(() -> rules.forCreate(request))
        .flatMap(
            checked ->
                hashed(checked.password())
                    .map(
                        hash -> {
                          var now = clock.instant();
                          return new Account(
                              ids.next(),
                              checked.username(),
                              hash,
                              checked.role() == null ? Role.MEMBER : checked.role(),
                              ownQuota(checked.monthlyImageQuota()),
                              checked.allowedModels() == null ? List.of() : checked.allowedModels(),
                              Boolean.TRUE.equals(checked.disabled()),
                              now,
                              now);
                        }))
        .flatMap(account -> accounts.insert(account).thenReturn(account))
        .onErrorMap(DataIntegrityViolationException.class, e -> taken(request.username()))
        .flatMap(
            account ->
                audit
                    .record("user.created", account.username(), "role " + account.role().id())
                    .thenReturn(account));
  }

  /** Changes the given fields of another account (an admin cannot lock themselves out). */
  Mono<Account> update(String id, UserRequest request, Caller by) {
    return Mono.fromSupplier(() -> rules.forUpdate(request))
        .flatMap(
            checked ->
                get(id)
                    .flatMap(
                        existing -> {
                          refuseLockout(existing, checked, by);
                          return hashed(checked.password())
                              .map(hash -> changed(existing, checked, hash))
                              .switchIfEmpty(
                                  Mono.fromSupplier(() -> changed(existing, checked, null)));
                        }))
        .flatMap(
            account ->
                accounts
                    .update(account)
                    .doOnSuccess(done -> state.changed(account.id()))
                    .thenReturn(account))
        .onErrorMap(DataIntegrityViolationException.class, e -> taken(request.username()))
        .flatMap(
            account ->
                audit
                    .record("user.changed", account.username(), changedFields(request))
                    .thenReturn(account));
  }

  Mono<Void> delete(String id, Caller by) {
    return get(id)
        .flatMap(
            existing -> {
              if (existing.fromEnvironment()) {
                return Mono.error(
                    new InvalidRequestException(
                        "user_id",
                        "is the account of APP_AUTH_USERNAME: remove it from the environment instead"));
              }
              if (existing.id().equals(by.userId())) {
                return Mono.error(
                    new InvalidRequestException(
                        "user_id", "is your own account: another admin must delete it"));
              }
              return accounts
                  .delete(id)
                  .doOnSuccess(done -> state.changed(id))
                  .then(audit.record("user.deleted", existing.username(), null));
            });
  }

  private Account changed(Account existing, UserRules.Checked checked, @Nullable String hash) {
    return new Account(
        existing.id(),
        checked.username() == null ? existing.username() : checked.username(),
        hash == null ? existing.passwordHash() : hash,
        checked.role() == null ? existing.role() : checked.role(),
        checked.monthlyImageQuota() == null
            ? existing.monthlyImageQuota()
            : ownQuota(checked.monthlyImageQuota()),
        checked.allowedModels() == null ? existing.allowedModels() : checked.allowedModels(),
        checked.disabled() == null ? existing.disabled() : checked.disabled(),
        existing.createdAt(),
        clock.instant());
  }

  private static void refuseLockout(Account existing, UserRules.Checked checked, Caller by) {
    if (existing.fromEnvironment()) {
      environmentFields(checked).stream()
          .findFirst()
          .ifPresent(
              field -> {
                throw new InvalidRequestException(
                    field,
                    "of this account is set by the environment (APP_AUTH_USERNAME,"
                        + " APP_AUTH_PASSWORD)");
              });
    }
    if (existing.id().equals(by.userId())) {
      if (Boolean.TRUE.equals(checked.disabled())) {
        throw new InvalidRequestException("disabled", "cannot be set on your own account");
      }
      if (checked.role() == Role.MEMBER) {
        throw new InvalidRequestException("role", "of your own account cannot be lowered");
      }
    }
  }

  private static List<String> environmentFields(UserRules.Checked checked) {
    var fields = new java.util.ArrayList<String>();
    if (checked.username() != null) {
      fields.add("username");
    }
    if (checked.password() != null) {
      fields.add("password");
    }
    if (checked.role() != null && checked.role() != Role.ADMIN) {
      fields.add("role");
    }
    if (Boolean.TRUE.equals(checked.disabled())) {
      fields.add("disabled");
    }
    if (checked.allowedModels() != null && !checked.allowedModels().isEmpty()) {
      fields.add("allowed_models");
    }
    return fields;
  }

  /** The names of the fields a change gave, never their values (a password's least of all). */
  private static String changedFields(UserRequest request) {
    var fields = new java.util.ArrayList<String>();
    if (request.username() != null) {
      fields.add("username");
    }
    if (request.password() != null) {
      fields.add("password");
    }
    if (request.role() != null) {
      fields.add("role=" + request.role());
    }
    if (request.monthlyImageQuota() != null) {
      fields.add("monthly_image_quota=" + request.monthlyImageQuota());
    }
    if (request.allowedModels() != null) {
      fields.add("allowed_models");
    }
    if (request.disabled() != null) {
      fields.add("disabled=" + request.disabled());
    }
    return String.join(", ", fields);
  }

  /** BCrypt on boundedElastic: tens of milliseconds of CPU, too long for an event-loop thread. */
  private Mono<String> hashed(@Nullable String password) {
    if (password == null) {
      return Mono.empty();
    }
    return Mono.fromCallable(() -> "{bcrypt}" + bcrypt.encode(password))
        .subscribeOn(Schedulers.boundedElastic());
  }

  private static @Nullable Integer ownQuota(@Nullable Integer quota) {
    return quota == null || quota == 0 ? null : quota;
  }

  private static InvalidRequestException taken(@Nullable String username) {
    return new InvalidRequestException(
        "username",
        "'" + (username == null ? "" : username.strip()) + "' is taken (names ignore case)");
  }
}
