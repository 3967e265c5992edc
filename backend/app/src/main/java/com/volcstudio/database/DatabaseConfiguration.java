package com.volcstudio.database;

import io.r2dbc.spi.ConnectionFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * H2's R2DBC driver is JDBC underneath: a statement runs synchronously on whichever thread
 * subscribes, and request handlers subscribe on Netty's event loop ({@code reactor-http-nio-*}).
 * Measured before this: every query of a request ran there, so one slow query (a history search
 * over 100k prompts) stalled every other connection served by that loop, SSE streams included. The
 * connection factory is wrapped so connections, statements, commits and closes are all subscribed
 * on a scheduler of their own.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

  static final String THREAD_PREFIX = "db";

  /**
   * As many threads as the pool has connections (r2dbc-pool's default maximum is 10), so a query
   * never waits for a thread while a connection is free. Its own scheduler, not boundedElastic:
   * thumbnails (100–170 ms each) run there and must not hold queries up.
   */
  private static final int THREADS = 10;

  /**
   * Threads from a plain executor, not a Reactor elastic scheduler: those interrupt a running task
   * when its subscriber cancels (a closed browser tab, a cancelled task, a timeout), and an
   * interrupt in the middle of an H2 statement broke pooled connections ("Connection validation
   * failed") until every request that needed the database hung (the storm test). A statement that
   * has started here runs to its end.
   */
  @Bean(destroyMethod = "dispose")
  static Scheduler databaseScheduler() {
    AtomicInteger count = new AtomicInteger();
    ExecutorService threads =
        Executors.newFixedThreadPool(
            THREADS,
            task -> {
              Thread thread = new Thread(task, THREAD_PREFIX + "-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    Scheduler scheduler = Schedulers.fromExecutor(threads, true);
    return new Scheduler() {
      @Override
      public reactor.core.Disposable schedule(Runnable task) {
        return scheduler.schedule(task);
      }

      @Override
      public Worker createWorker() {
        return scheduler.createWorker();
      }

      @Override
      public void dispose() {
        scheduler.dispose();
        // Lets statements in flight finish (graceful shutdown), without waiting on the caller's
        // thread.
        threads.shutdown();
      }
    };
  }

  /** Boot's Flyway step starts the migrations on a thread of their own (StartupMigration). */
  @Bean
  StartupMigration startupMigration() {
    return new StartupMigration();
  }

  @Bean
  Dialect dialect(Environment environment) {
    return new Dialect(environment);
  }

  @Bean
  DatabaseFile databaseFile(DatabaseClient client, Dialect dialect) {
    return new DatabaseFile(client, dialect);
  }

  /** H2's driver blocks; PostgreSQL's is non-blocking and needs no threads of its own. */
  @Bean
  static BeanPostProcessor offloadingConnectionFactory(
      org.springframework.beans.factory.ObjectProvider<Scheduler> scheduler,
      Environment environment) {
    boolean h2 = new Dialect(environment).h2();
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        return h2
                && bean instanceof ConnectionFactory factory
                && !(bean instanceof OffloadingConnectionFactory)
            ? new OffloadingConnectionFactory(factory, scheduler.getObject())
            : bean;
      }
    };
  }
}
