package com.volcstudio.account;

import com.volcstudio.usage.UsageByOwner;
import com.volcstudio.web.ForbiddenException;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/users}: the accounts of the studio, for admins (the security chain refuses members
 * with 403). With login off there are no accounts to manage: 404.
 */
@RestController
class UserController {

  record Users(List<UserView> items) {}

  private final UserAdmin users;
  private final UsageByOwner usage;

  UserController(UserAdmin users, UsageByOwner usage) {
    this.users = users;
    this.usage = usage;
  }

  /** The views of {@code accounts}, each with its usage this month. */
  private Mono<List<UserView>> views(Flux<Account> accounts) {
    return usage
        .thisMonth()
        .flatMap(months -> accounts.map(account -> UserView.of(account, months)).collectList());
  }

  private Mono<UserView> view(Mono<Account> account) {
    return views(account.flux()).mapNotNull(list -> list.isEmpty() ? null : list.get(0));
  }

  @ApiResponse(responseCode = "200", description = "Every account")
  @ApiResponse(responseCode = "404", description = "Login is off: there are no accounts")
  @GetMapping("/api/v1/users")
  Mono<Users> listUsers() {
    return admin().then(views(users.list())).map(Users::new);
  }

  @ApiResponse(responseCode = "201", description = "Created; Location names it")
  @ApiResponse(responseCode = "400", description = "A field is wrong or the name is taken")
  @ApiResponse(responseCode = "404", description = "Login is off: there are no accounts")
  @PostMapping("/api/v1/users")
  Mono<ResponseEntity<UserView>> createUser(@RequestBody UserRequest request) {
    return admin()
        .then(view(users.create(request)))
        .map(
            created ->
                ResponseEntity.created(URI.create("/api/v1/users/" + created.userId()))
                    .body(created));
  }

  @ApiResponse(responseCode = "200", description = "The account")
  @ApiResponse(responseCode = "404", description = "No such account, or login is off")
  @GetMapping("/api/v1/users/{user_id}")
  Mono<UserView> getUser(@PathVariable("user_id") String id) {
    return admin().then(view(users.get(id)));
  }

  @ApiResponse(responseCode = "200", description = "Changed: the account as it is now")
  @ApiResponse(responseCode = "400", description = "A field is wrong, taken or not changeable here")
  @ApiResponse(responseCode = "404", description = "No such account, or login is off")
  @PatchMapping("/api/v1/users/{user_id}")
  Mono<UserView> updateUser(@PathVariable("user_id") String id, @RequestBody UserRequest request) {
    return admin().flatMap(by -> view(users.update(id, request, by)));
  }

  @ApiResponse(responseCode = "204", description = "Deleted, with the account's tokens")
  @ApiResponse(responseCode = "400", description = "The environment's admin, or your own account")
  @ApiResponse(responseCode = "404", description = "No such account, or login is off")
  @DeleteMapping("/api/v1/users/{user_id}")
  Mono<ResponseEntity<Void>> deleteUser(@PathVariable("user_id") String id) {
    return admin()
        .flatMap(by -> users.delete(id, by))
        .thenReturn(ResponseEntity.noContent().<Void>build());
  }

  /**
   * The calling admin. The security chain already keeps members out; this is the second lock, and
   * the answer when login is off (no caller at all).
   */
  private static Mono<Caller> admin() {
    return Caller.current()
        .switchIfEmpty(Mono.error(UserController::loginOff))
        .flatMap(
            caller ->
                caller.admin()
                    ? Mono.just(caller)
                    : Mono.error(new ForbiddenException("This needs an admin account.")));
  }

  static ErrorResponseException loginOff() {
    return new ErrorResponseException(
        HttpStatus.NOT_FOUND,
        ProblemDetail.forStatusAndDetail(
            HttpStatus.NOT_FOUND,
            "Login is off, so there are no accounts: set APP_AUTH_USERNAME and APP_AUTH_PASSWORD to turn it on."),
        null);
  }
}
