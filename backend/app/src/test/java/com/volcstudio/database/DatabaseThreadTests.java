package com.volcstudio.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * H2's R2DBC driver runs each statement synchronously on the thread that subscribes. Handlers
 * subscribe on Netty's event loop, so without an offload every query would block it. Public only
 * because H2 calls {@link #executingThread()} by reflection.
 */
@SpringBootTest(properties = "DATA_DIR=target/test-data/${random.uuid}")
public class DatabaseThreadTests {

  @Autowired DatabaseClient db;

  /** Called by H2 inside the statement: the name of the thread executing it. */
  public static String executingThread() {
    return Thread.currentThread().getName();
  }

  @Test
  void queriesSubscribedOnAnEventLoopThreadRunElsewhere() {
    db.sql(
            "CREATE ALIAS IF NOT EXISTS EXECUTING_THREAD FOR '"
                + DatabaseThreadTests.class.getName()
                + ".executingThread'")
        .then()
        .block();
    Scheduler eventLoop = Schedulers.newSingle("reactor-http-nio-probe");
    try {
      String thread =
          Mono.defer(
                  () ->
                      db.sql("SELECT EXECUTING_THREAD() AS t")
                          .map(row -> row.get("t", String.class))
                          .one())
              .subscribeOn(eventLoop)
              .block();
      System.out.println("H2 statement executed on " + thread);
      assertThat(thread)
          .doesNotStartWith("reactor-http-nio")
          .startsWith(DatabaseConfiguration.THREAD_PREFIX);
    } finally {
      eventLoop.dispose();
    }
  }
}
