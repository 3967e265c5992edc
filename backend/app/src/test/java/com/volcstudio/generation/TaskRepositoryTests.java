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
  PromptIndex.class,
  TaskRepositoryTests.Metrics.class
})
@EnableConfigurationProperties(SearchProperties.class)
class TaskRepositoryTests {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @Autowired TaskRepository tasks;
  @Autowired UpstreamJobRepository jobs;

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

    StepVerifier.create(
            tasks
                .updateProgress(id, TaskStage.GENERATING, 52)
                // The first image being stored reports less than the second one's call already did.
                .then(tasks.updateProgress(id, TaskStage.SAVING, 48))
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
                .then(tasks.updateProgress(id, TaskStage.GENERATING, 40))
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
            jobs.insertSubmitting(id, 0, "jimeng_t2i_v30", NOW)
                .then(jobs.submitted(id, 0, first.upstreamTaskId(), NOW))
                .then(jobs.insertSubmitting(id, 1, "jimeng_t2i_v30", NOW))
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
            jobs.insertSubmitting(id, 0, "jimeng_t2i_v30", NOW)
                .then(jobs.submitted(id, 0, answered.upstreamTaskId(), NOW))
                .then(jobs.insertSubmitting(id, 1, "jimeng_t2i_v30", NOW))
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

  private String runningTask(int images) {
    String id = UUID.randomUUID().toString();
    tasks
        .insert(pending(id, images), TaskRepository.Origin.NONE)
        .then(tasks.markRunning(id, NOW))
        .block();
    return id;
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
