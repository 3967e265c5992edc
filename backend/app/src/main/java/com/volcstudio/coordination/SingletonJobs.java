package com.volcstudio.coordination;

import com.volcstudio.database.Dialect;
import java.time.Duration;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Jobs that run on one replica at a time (issue 18), such as the retention cleanup: a replica runs
 * such a job only while it holds the job's lease in the {@code singleton_job} table, taken and
 * renewed by one conditional UPDATE on the database's clock each time the job is due. When the
 * replica holding it dies, another takes it over once the lease has run out. With the H2 file (one
 * process) every job is this process's.
 */
@Component
public class SingletonJobs {

  private final DatabaseClient db;
  private final Dialect dialect;
  private final String holder = UUID.randomUUID().toString();

  SingletonJobs(DatabaseClient db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  /**
   * Whether this replica is to run {@code job} now: it holds the job's lease, renewed for {@code
   * hold} (longer than the job's interval, so that its holder keeps it).
   */
  public Mono<Boolean> mine(String job, Duration hold) {
    if (dialect.h2()) {
      return Mono.just(true);
    }
    return db.sql(
            "UPDATE singleton_job SET holder = :holder, lease_until = "
                + dialect.nowPlusMillis()
                + " WHERE name = :name AND (holder IS NULL OR holder = :holder"
                + " OR lease_until < CURRENT_TIMESTAMP)")
        .bind("holder", holder)
        .bind("millis", hold.toMillis())
        .bind("name", job)
        .fetch()
        .rowsUpdated()
        .map(updated -> updated > 0);
  }
}
