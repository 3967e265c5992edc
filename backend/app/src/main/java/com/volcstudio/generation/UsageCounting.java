package com.volcstudio.generation;

import com.volcstudio.usage.UsageLedger;
import java.time.Instant;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * A change of a task written together with its count in the usage ledger, in one transaction, so
 * that a crash keeps both or neither. The task service and the runner count through here each
 * change the ledger counts (a task submitted, completed, failed, cancelled), under the task's
 * model; {@link TaskRepository} writes the task table and nothing else.
 */
@Component
class UsageCounting {

  private final UsageLedger ledger;
  private final TransactionalOperator transaction;

  UsageCounting(UsageLedger ledger, ReactiveTransactionManager transactions) {
    this.ledger = ledger;
    this.transaction = TransactionalOperator.create(transactions);
  }

  /**
   * {@code change}, then one {@code measure} of {@code model} on the UTC day of {@code at}; joins
   * the caller's transaction when there is one (a batch is stored whole or not at all).
   */
  Mono<Void> together(Mono<Void> change, String model, UsageLedger.Measure measure, Instant at) {
    return change.then(ledger.count(model, measure, at, 1)).as(transaction::transactional);
  }

  /**
   * {@code change} (a status change that says whether it changed the row), and one {@code measure}
   * of {@code model} on the UTC day of {@code at} only if it did: a task that was no longer in the
   * state the change expects is not counted twice.
   *
   * @return whether the row changed
   */
  Mono<Boolean> ifChanged(
      Mono<Boolean> change, String model, UsageLedger.Measure measure, Instant at) {
    return change
        .flatMap(
            changed ->
                changed ? ledger.count(model, measure, at, 1).thenReturn(true) : Mono.just(false))
        .as(transaction::transactional);
  }
}
