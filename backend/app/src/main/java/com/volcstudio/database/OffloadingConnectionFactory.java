package com.volcstudio.database;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A connection factory whose every blocking step (acquire, execute, commit, close …) is subscribed
 * on the database scheduler. Deferred, because a driver may start work when the publisher is
 * created rather than when it is subscribed. Results are read where they arrive: H2 has them in
 * memory by then. {@link Wrapped}, so Boot's pool metrics still find the pool inside.
 */
final class OffloadingConnectionFactory
    implements ConnectionFactory, Wrapped<ConnectionFactory>, Disposable {

  private final ConnectionFactory delegate;
  private final Scheduler scheduler;

  OffloadingConnectionFactory(ConnectionFactory delegate, Scheduler scheduler) {
    this.delegate = delegate;
    this.scheduler = scheduler;
  }

  @Override
  public Publisher<? extends Connection> create() {
    return Mono.defer(() -> Mono.from(delegate.create()))
        .subscribeOn(scheduler)
        .map(OffloadingConnection::new);
  }

  @Override
  public ConnectionFactoryMetadata getMetadata() {
    return delegate.getMetadata();
  }

  @Override
  public ConnectionFactory unwrap() {
    return delegate;
  }

  /**
   * The pool is closed with the context (Boot declares it with {@code destroyMethod = "dispose"}).
   */
  @Override
  public void dispose() {
    if (delegate instanceof Disposable disposable) {
      disposable.dispose();
    }
  }

  @Override
  public boolean isDisposed() {
    return delegate instanceof Disposable disposable && disposable.isDisposed();
  }

  private <T> Mono<T> off(Supplier<? extends Publisher<T>> work) {
    return Mono.defer(() -> Mono.from(work.get())).subscribeOn(scheduler);
  }

  private Flux<Result> offMany(Supplier<? extends Publisher<? extends Result>> work) {
    return Flux.defer(() -> Flux.<Result>from(work.get())).subscribeOn(scheduler);
  }

  private final class OffloadingConnection implements Connection, Wrapped<Connection> {

    private final Connection connection;

    OffloadingConnection(Connection connection) {
      this.connection = connection;
    }

    @Override
    public Connection unwrap() {
      return connection;
    }

    @Override
    public Publisher<Void> beginTransaction() {
      return off(connection::beginTransaction);
    }

    @Override
    public Publisher<Void> beginTransaction(TransactionDefinition definition) {
      return off(() -> connection.beginTransaction(definition));
    }

    @Override
    public Publisher<Void> close() {
      return off(connection::close);
    }

    @Override
    public Publisher<Void> commitTransaction() {
      return off(connection::commitTransaction);
    }

    @Override
    public Batch createBatch() {
      Batch batch = connection.createBatch();
      return new Batch() {
        @Override
        public Batch add(String sql) {
          batch.add(sql);
          return this;
        }

        @Override
        public Publisher<? extends Result> execute() {
          return offMany(batch::execute);
        }
      };
    }

    @Override
    public Publisher<Void> createSavepoint(String name) {
      return off(() -> connection.createSavepoint(name));
    }

    @Override
    public Statement createStatement(String sql) {
      return new OffloadingStatement(connection.createStatement(sql));
    }

    @Override
    public boolean isAutoCommit() {
      return connection.isAutoCommit();
    }

    @Override
    public ConnectionMetadata getMetadata() {
      return connection.getMetadata();
    }

    @Override
    public IsolationLevel getTransactionIsolationLevel() {
      return connection.getTransactionIsolationLevel();
    }

    @Override
    public Publisher<Void> releaseSavepoint(String name) {
      return off(() -> connection.releaseSavepoint(name));
    }

    @Override
    public Publisher<Void> rollbackTransaction() {
      return off(connection::rollbackTransaction);
    }

    @Override
    public Publisher<Void> rollbackTransactionToSavepoint(String name) {
      return off(() -> connection.rollbackTransactionToSavepoint(name));
    }

    @Override
    public Publisher<Void> setAutoCommit(boolean autoCommit) {
      return off(() -> connection.setAutoCommit(autoCommit));
    }

    @Override
    public Publisher<Void> setLockWaitTimeout(Duration timeout) {
      return off(() -> connection.setLockWaitTimeout(timeout));
    }

    @Override
    public Publisher<Void> setStatementTimeout(Duration timeout) {
      return off(() -> connection.setStatementTimeout(timeout));
    }

    @Override
    public Publisher<Void> setTransactionIsolationLevel(IsolationLevel level) {
      return off(() -> connection.setTransactionIsolationLevel(level));
    }

    @Override
    public Publisher<Boolean> validate(ValidationDepth depth) {
      return off(() -> connection.validate(depth));
    }
  }

  private final class OffloadingStatement implements Statement {

    private final Statement statement;

    OffloadingStatement(Statement statement) {
      this.statement = statement;
    }

    @Override
    public Statement add() {
      statement.add();
      return this;
    }

    @Override
    public Statement bind(int index, Object value) {
      statement.bind(index, value);
      return this;
    }

    @Override
    public Statement bind(String name, Object value) {
      statement.bind(name, value);
      return this;
    }

    @Override
    public Statement bindNull(int index, Class<?> type) {
      statement.bindNull(index, type);
      return this;
    }

    @Override
    public Statement bindNull(String name, Class<?> type) {
      statement.bindNull(name, type);
      return this;
    }

    @Override
    public Statement returnGeneratedValues(String... columns) {
      statement.returnGeneratedValues(columns);
      return this;
    }

    @Override
    public Statement fetchSize(int rows) {
      statement.fetchSize(rows);
      return this;
    }

    @Override
    public Publisher<? extends Result> execute() {
      return offMany(statement::execute);
    }
  }
}
