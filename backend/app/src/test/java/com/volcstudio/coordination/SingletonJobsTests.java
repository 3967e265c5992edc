package com.volcstudio.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.database.Dialect;
import com.volcstudio.database.PostgresServer;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A job that runs once across replicas (issue 18), on a real PostgreSQL database with the real
 * migrations: of two replicas only the holder of the job's lease runs it, for as long as it renews
 * the lease; once the lease runs out (its replica died) the other takes the job over.
 */
class SingletonJobsTests {

  @Test
  void onlyTheHolderRunsTheJobUntilItsLeaseRunsOutThenAnotherTakesItOver() throws Exception {
    try (PostgresServer postgres = PostgresServer.start("jobs")) {
      Flyway.configure()
          .dataSource("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/jobs", "postgres", "")
          .locations("classpath:db/migration/postgresql")
          .load()
          .migrate();
      String url = postgres.r2dbcUrl("jobs");
      DatabaseClient db =
          DatabaseClient.create(
              ConnectionFactories.get(
                  ConnectionFactoryOptions.parse(url)
                      .mutate()
                      .option(ConnectionFactoryOptions.USER, "postgres")
                      .build()));
      Dialect dialect = new Dialect(new MockEnvironment().withProperty("spring.r2dbc.url", url));
      SingletonJobs a = new SingletonJobs(db, dialect);
      SingletonJobs b = new SingletonJobs(db, dialect);
      Duration hold = Duration.ofMillis(800);

      assertThat(a.mine("retention", hold).block()).isTrue();
      assertThat(b.mine("retention", hold).block()).as("held by A").isFalse();
      assertThat(a.mine("retention", hold).block()).as("A renews it").isTrue();
      assertThat(b.mine("retention", hold).block()).isFalse();

      Thread.sleep(1000); // A died: nobody renewed it
      assertThat(b.mine("retention", hold).block()).as("B takes it over").isTrue();
      assertThat(a.mine("retention", hold).block()).as("A, back, does not").isFalse();
    }
  }
}
