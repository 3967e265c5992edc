package com.volcstudio.usage;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.ModelCatalog;
import java.time.Instant;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * A change written together with its count in the usage ledger, in one transaction, so that a crash
 * keeps both or neither. The services that make what the ledger counts (a task submitted,
 * completed, failed, cancelled; an image stored) count through here, under the model; their
 * repositories write their own tables and nothing else.
 */
@Component
public class UsageCounting {

  private final UsageLedger ledger;
  private final ModelCatalog catalog;
  private final TransactionalOperator transaction;

  UsageCounting(UsageLedger ledger, ModelCatalog catalog, ReactiveTransactionManager transactions) {
    this.ledger = ledger;
    this.catalog = catalog;
    this.transaction = TransactionalOperator.create(transactions);
  }

  /**
   * {@code change} (an image stored), and the image counted under {@code model} with its estimated
   * price for its size ({@link CatalogModel#priceFor}), in one transaction.
   */
  public Mono<Void> image(Mono<Void> change, String model, String owner, long pixels, Instant at) {
    double price = catalog.find(model).map(m -> m.priceFor(pixels)).orElse(0.0);
    return change
        .then(ledger.countImage(model, owner, at, Math.round(price * 1_000_000)))
        .as(transaction::transactional);
  }

  /**
   * {@code change}, then one {@code measure} of {@code model} on the UTC day of {@code at}; joins
   * the caller's transaction when there is one (a batch is stored whole or not at all).
   */
  public Mono<Void> together(
      Mono<Void> change, String model, String owner, UsageLedger.Measure measure, Instant at) {
    return change.then(ledger.count(model, owner, measure, at, 1)).as(transaction::transactional);
  }

  /**
   * {@code change} (a status change that says whether it changed the row), and one {@code measure}
   * of {@code model} on the UTC day of {@code at} only if it did: a task that was no longer in the
   * state the change expects is not counted twice.
   *
   * @return whether the row changed
   */
  public Mono<Boolean> ifChanged(
      Mono<Boolean> change, String model, String owner, UsageLedger.Measure measure, Instant at) {
    return change
        .flatMap(
            changed ->
                changed
                    ? ledger.count(model, owner, measure, at, 1).thenReturn(true)
                    : Mono.just(false))
        .as(transaction::transactional);
  }
}
