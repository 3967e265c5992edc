package com.volcstudio.generation;

import com.volcstudio.account.Accounts;
import com.volcstudio.account.Caller;
import com.volcstudio.web.InvalidRequestException;
import java.util.Collection;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Who a new task belongs to, once it is clear that they may use its model: the owner key of the
 * caller (account.Caller#owner; login off: the one implicit user), checked against the account's
 * allowed models before anything is stored or sent.
 */
@Component
class Submitters {

  private final Accounts accounts;

  Submitters(Accounts accounts) {
    this.accounts = accounts;
  }

  Mono<String> owner(Collection<String> models) {
    return Caller.current()
        .flatMap(
            caller ->
                accounts
                    .allowedModels(caller)
                    .flatMap(allowed -> allowed.isEmpty() ? Mono.empty() : refused(allowed, models))
                    .thenReturn(caller.owner()))
        .defaultIfEmpty(Caller.FIRST_OWNER);
  }

  private static Mono<Void> refused(List<String> allowed, Collection<String> models) {
    return models.stream()
        .filter(model -> !allowed.contains(model))
        .findFirst()
        .<Mono<Void>>map(
            model ->
                Mono.error(
                    new InvalidRequestException(
                        "model",
                        "'"
                            + model
                            + "' is not among the models your account may use: "
                            + String.join(", ", allowed))))
        .orElse(Mono.empty());
  }
}
