package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.catalog.GenerationParams;
import com.volcstudio.database.Dialect;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.r2dbc.test.autoconfigure.DataR2dbcTest;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.test.StepVerifier;

/**
 * The {@code generation_task} and {@code upstream_job} tables through their repositories alone, on
 * the real H2 file database with the real migrations.
 */
@DataR2dbcTest(properties = "DATA_DIR=target/test-data/${random.uuid}")
@ImportAutoConfiguration(FlywayAutoConfiguration.class)
@Import({
  TaskRepository.class,
  Dialect.class,
  UpstreamJobRepository.class,
  TaskClaims.class,
  PromptIndex.class,
  TaskRepositoryTests.Metrics.class
})
@EnableConfigurationProperties({SearchProperties.class, ClaimProperties.class})
class TaskRepositoryTests {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @Autowired TaskRepository tasks;
  @Autowired UpstreamJobRepository jobs;
  @Autowired TaskClaims claims;
  @Autowired DatabaseClient db;

  @TestConfiguration(proxyBeanMethods = false)
  static class Metrics {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @Test
  void progressOfARunningTaskOnlyMovesForward() {
    String id = runningTask(2);
    long fence = fenceOf(id);

    StepVerifier.create(
            tasks
                .updateProgress(id, fence, TaskStage.GENERATING, 52)
                // The first image being stored reports less than the second one's call already did.
                .then(tasks.updateProgress(id, fence, TaskStage.SAVING, 48))
                .then(tasks.findById(id)))
        .assertNext(
            task -> {
              assertThat(task.progress()).isEqualTo(52);
              assertThat(task.stage()).isEqualTo(TaskStage.SAVING);
            })
        .verifyComplete();
  }

  @Test
  void progressIsNotWrittenToATaskThatIsNotRunning() {
    String id = UUID.randomUUID().toString();
    StepVerifier.create(
            tasks
                .insert(pending(id, 1), TaskRepository.Origin.NONE)
                .then(tasks.updateProgress(id, 0, TaskStage.GENERATING, 40))
                .then(tasks.findById(id)))
        .assertNext(
            task -> {
              assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
              assertThat(task.progress()).isZero();
              assertThat(task.stage()).isEqualTo(TaskStage.QUEUED);
            })
        .verifyComplete();
  }

  @Test
  void anUpstreamJobIsRememberedPerImageUntilForgotten() {
    String id = runningTask(2);
    UpstreamJob first = new UpstreamJob(id, 0, "jimeng_t2i_v30", "7392616336519610409", NOW);
    UpstreamJob second = new UpstreamJob(id, 1, "jimeng_t2i_v30", "7392616336519610410", NOW);

    StepVerifier.create(
            jobs.insertSubmitting(id, fenceOf(id), 0, "jimeng_t2i_v30", NOW)
                .then(jobs.submitted(id, 0, first.upstreamTaskId(), NOW))
                .then(jobs.insertSubmitting(id, fenceOf(id), 1, "jimeng_t2i_v30", NOW))
                .then(jobs.submitted(id, 1, second.upstreamTaskId(), NOW))
                .thenMany(jobs.findByTask(id).collectList()))
        .assertNext(found -> assertThat(found).containsExactlyInAnyOrder(first, second))
        .verifyComplete();
    StepVerifier.create(jobs.delete(id, 0).then(jobs.find(id, 0))).verifyComplete();
    StepVerifier.create(jobs.find(id, 1)).expectNext(second).verifyComplete();
  }

  @Test
  void aSubmitWhoseAnswerWasNeverRecordedStaysUntilTheUserRetries() {
    String id = runningTask(2);
    UpstreamJob answered = new UpstreamJob(id, 0, "jimeng_t2i_v30", "7392616336519610411", NOW);

    StepVerifier.create(
            jobs.insertSubmitting(id, fenceOf(id), 0, "jimeng_t2i_v30", NOW)
                .then(jobs.submitted(id, 0, answered.upstreamTaskId(), NOW))
                .then(jobs.insertSubmitting(id, fenceOf(id), 1, "jimeng_t2i_v30", NOW))
                .then(jobs.find(id, 1)))
        .assertNext(unanswered -> assertThat(unanswered.upstreamTaskId()).isNull())
        .verifyComplete();
    // Not a job to cancel or poll: only answered submits are listed.
    StepVerifier.create(jobs.findByTask(id)).expectNext(answered).verifyComplete();

    // An answered submit is never forgotten this way, for one image or for the task.
    StepVerifier.create(jobs.forgetUnanswered(id, 0).then(jobs.find(id, 0)))
        .expectNext(answered)
        .verifyComplete();
    StepVerifier.create(jobs.forgetUnanswered(id).then(jobs.find(id, 1))).verifyComplete();
    StepVerifier.create(jobs.find(id, 0)).expectNext(answered).verifyComplete();
  }

  @Test
  void recordingAnAnswerWithoutItsSubmitFails() {
    String id = runningTask(1);

    StepVerifier.create(jobs.submitted(id, 0, "7392616336519610412", NOW))
        .expectErrorMessage("no submit was recorded for " + id + " #0")
        .verify();
  }

  @Test
  void aTaskHeldByAnotherProcessCannotBeClaimedUntilItsLeaseRunsOut() {
    String id = UUID.randomUUID().toString();
    tasks.insert(pending(id, 1), TaskRepository.Origin.NONE).block();
    long first = claims.claim(id).block();

    // Another replica's claim, still renewed: not free.
    db.sql("UPDATE generation_task SET claimed_by = 'elsewhere' WHERE id = :id")
        .bind("id", id)
        .then()
        .block();
    StepVerifier.create(claims.claim(id)).verifyComplete();
    StepVerifier.create(claims.claimable().map(TaskClaims.Claimable::taskId).filter(id::equals))
        .verifyComplete();

    // Its replica died: the lease ran out, and the claim is this process's, under a new fence.
    db.sql("UPDATE generation_task SET lease_until = :past WHERE id = :id")
        .bind("id", id)
        .bind("past", java.time.OffsetDateTime.parse("2026-01-01T00:00:00Z"))
        .then()
        .block();
    StepVerifier.create(claims.claimable().map(TaskClaims.Claimable::taskId).filter(id::equals))
        .expectNext(id)
        .verifyComplete();
    StepVerifier.create(claims.claim(id)).expectNext(first + 1).verifyComplete();
    StepVerifier.create(claims.check(List.of(id)))
        .expectNext(new TaskClaims.Held(id, false, false))
        .verifyComplete();
  }

  @Test
  void aRunThatLostItsClaimWritesNothingAndSubmitsNothing() {
    String id = runningTask(1);
    long old = fenceOf(id);
    // Taken over: another process claimed it after this one's lease ran out.
    db.sql(
            "UPDATE generation_task SET claimed_by = 'elsewhere', claim_fence = claim_fence + 1"
                + " WHERE id = :id")
        .bind("id", id)
        .then()
        .block();

    StepVerifier.create(tasks.updateProgress(id, old, TaskStage.GENERATING, 60)).verifyComplete();
    StepVerifier.create(tasks.complete(id, old, NOW)).expectNext(false).verifyComplete();
    StepVerifier.create(jobs.insertSubmitting(id, old, 0, "jimeng_t2i_v30", NOW))
        .expectError(ClaimLostException.class)
        .verify();
    StepVerifier.create(claims.check(List.of(id)))
        .expectNext(new TaskClaims.Held(id, false, true))
        .verifyComplete();
    StepVerifier.create(tasks.findById(id))
        .assertNext(
            task -> {
              assertThat(task.status()).isEqualTo(TaskStatus.RUNNING);
              assertThat(task.progress()).isEqualTo(5);
            })
        .verifyComplete();
    StepVerifier.create(jobs.find(id, 0)).verifyComplete();
  }

  @Test
  void aRetriedTaskIsFreeToBeClaimedAgain() {
    String id = runningTask(1);
    StepVerifier.create(
            tasks
                .cancel(id, NOW)
                .then(tasks.requeue(id))
                .thenMany(claims.claimable().map(TaskClaims.Claimable::taskId).filter(id::equals)))
        .expectNext(id)
        .verifyComplete();
  }

  private String runningTask(int images) {
    String id = UUID.randomUUID().toString();
    tasks
        .insert(pending(id, images), TaskRepository.Origin.NONE)
        .then(claims.claim(id))
        .flatMap(fence -> tasks.markRunning(id, fence, NOW))
        .block();
    return id;
  }

  private long fenceOf(String id) {
    return db.sql("SELECT claim_fence FROM generation_task WHERE id = :id")
        .bind("id", id)
        .map(row -> row.get("claim_fence", Long.class))
        .one()
        .block();
  }

  private static Task pending(String id, int images) {
    GenerationParams params =
        GenerationParams.generation(
            "jimeng_t2i_v3.0",
            "一只猫",
            "",
            1328,
            1328,
            images,
            -1,
            null,
            null,
            Map.of(),
            List.of(),
            false);
    return new Task(
        id,
        TaskStatus.PENDING,
        TaskStage.QUEUED,
        0,
        params,
        0,
        false,
        null,
        NOW,
        null,
        null,
        null,
        "");
  }
}
