package com.volcstudio.generation;

import com.volcstudio.account.Caller;
import com.volcstudio.image.ImageStore;
import com.volcstudio.usage.MonthlyQuota;
import com.volcstudio.usage.UsageCounting;
import com.volcstudio.usage.UsageLedger;
import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.InvalidRequestException;
import com.volcstudio.web.NotFoundException;
import com.volcstudio.web.RandomIds;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** What can be done to tasks: submit (idempotently), cancel, retry, delete, mark as favourite. */
@Service
class TaskService {

  /** An Idempotency-Key is an opaque client token; this keeps it printable and bounded. */
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final GenerationValidator validator;
  private final TaskRepository tasks;
  private final TaskDispatcher dispatcher;
  private final TaskEvents events;
  private final ImageStore images;
  private final BatchPlanner batches;
  private final GenerationInputs inputs;
  private final BatchSubmissionRepository batchSubmissions;
  private final TransactionalOperator transaction;
  private final MonthlyQuota quota;
  private final UpstreamJobRepository upstreamJobs;
  private final UsageCounting counting;
  private final PromptIndex index;
  private final Clock clock = Clock.systemUTC();
  private final RandomIds ids = new RandomIds();
  private final EditValidator editValidator;
  private final Submitters submitters;

  TaskService(
      GenerationValidator validator,
      TaskRepository tasks,
      TaskDispatcher dispatcher,
      TaskEvents events,
      ImageStore images,
      BatchPlanner batches,
      GenerationInputs inputs,
      BatchSubmissionRepository batchSubmissions,
      ReactiveTransactionManager transactions,
      MonthlyQuota quota,
      UsageCounting counting,
      PromptIndex index,
      UpstreamJobRepository upstreamJobs,
      EditValidator editValidator,
      Submitters submitters) {
    this.submitters = submitters;
    this.editValidator = editValidator;
    this.upstreamJobs = upstreamJobs;
    this.quota = quota;
    this.counting = counting;
    this.index = index;
    this.inputs = inputs;
    this.batchSubmissions = batchSubmissions;
    this.transaction = TransactionalOperator.create(transactions);
    this.validator = validator;
    this.tasks = tasks;
    this.dispatcher = dispatcher;
    this.events = events;
    this.images = images;
    this.batches = batches;
  }

  /**
   * Validates, stores as pending and queues. With an Idempotency-Key, a repeated submit (a retry
   * after a lost response, a reload) returns the task the first one created instead of generating
   * again.
   */
  Mono<Task> submit(GenerateRequest request, @Nullable String idempotencyKey) {
    if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
      return Mono.error(
          new InvalidRequestException(
              "Idempotency-Key", "must be 1–128 printable ASCII characters"));
    }
    return toTheEnd(
        Caller.currentOwner()
            .flatMap(
                owner ->
                    submitValidated(
                        inputs
                            .resolve(request.presetId(), request.referenceImageIds())
                            .map(resolved -> validator.validate(request, resolved)),
                        fingerprint(request),
                        ownKey(owner, idempotencyKey))));
  }

  /**
   * An edit ({@code POST /api/v1/edits}): checked by {@link EditValidator}, then stored, queued and
   * run like any task.
   */
  Mono<Task> submitEdit(EditRequest request, @Nullable String idempotencyKey) {
    if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
      return Mono.error(
          new InvalidRequestException(
              "Idempotency-Key", "must be 1–128 printable ASCII characters"));
    }
    return toTheEnd(
        Caller.currentOwner()
            .flatMap(
                owner ->
                    submitValidated(
                        Mono.defer(() -> editValidator.validate(request)),
                        fingerprint(request),
                        ownKey(owner, idempotencyKey))));
  }

  private Mono<Task> submitValidated(
      Mono<ValidatedGeneration> validated, String fingerprint, @Nullable String idempotencyKey) {
    Mono<Task> fresh =
        validated
            .flatMap(
                valid ->
                    submitters
                        .owner(List.of(valid.params().model()))
                        .map(owner -> Map.entry(valid, owner)))
            .flatMap(
                owned ->
                    quota.admit(
                        owned.getKey().params().numImages(),
                        owned.getValue(),
                        Mono.defer(
                            () -> {
                              Task task =
                                  Task.pending(
                                      ids.next(),
                                      owned.getKey(),
                                      clock.instant().truncatedTo(ChronoUnit.MILLIS),
                                      owned.getValue());
                              // Committed before the client hears of it and before the queue sees
                              // it: a crash loses nothing.
                              return store(
                                      task,
                                      new TaskRepository.Origin(idempotencyKey, fingerprint, null))
                                  .thenReturn(task);
                            })))
            .flatMap(task -> events.publish(TaskEvent.CREATED, task.id()).thenReturn(task))
            .doOnNext(dispatcher::enqueue);
    if (idempotencyKey == null) {
      return fresh;
    }
    Mono<Task> earlier =
        tasks
            .findByIdempotencyKey(idempotencyKey)
            .flatMap(
                found ->
                    found.getValue().equals(fingerprint)
                        ? Mono.just(found.getKey())
                        : Mono.error(
                            new InvalidRequestException(
                                List.of(
                                    new FieldViolation(
                                        "Idempotency-Key",
                                        "was already used for a different request; use a new key for a new request")))));
    // Two submits racing with one key: the unique index lets one insert win; the other returns its
    // task.
    return earlier.switchIfEmpty(
        fresh.onErrorResume(DataIntegrityViolationException.class, e -> earlier));
  }

  /**
   * What a batch would make and cost; with {@code dry_run} nothing more, otherwise its tasks are
   * stored and queued.
   */
  record BatchPlan(
      @Nullable String batchId,
      List<String> taskIds,
      int tasks,
      int images,
      BigDecimal estimatedCostCny) {}

  /**
   * With an Idempotency-Key, a repeated submit gets the answer of the first — the same batch id and
   * tasks — and nothing is queued twice; the key and the tasks are committed together.
   */
  Mono<BatchPlan> submitBatch(BatchRequest request, @Nullable String idempotencyKey) {
    if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
      return Mono.error(
          new InvalidRequestException(
              "Idempotency-Key", "must be 1–128 printable ASCII characters"));
    }
    if (idempotencyKey == null || Boolean.TRUE.equals(request.dryRun())) {
      return toTheEnd(planBatch(request, null, null));
    }
    return toTheEnd(
        Caller.currentOwner()
            .flatMap(
                owner ->
                    submitBatchOnce(
                        request, Objects.requireNonNull(ownKey(owner, idempotencyKey)))));
  }

  /**
   * Runs {@code work} to its end even when the client goes away meanwhile: a task once committed is
   * also queued and announced, a cancel also stops the run, a delete also removes the files. (A
   * submit cut off between its commit and its queueing left a pending task that nothing ran until
   * the next restart: the browser tests closed a page right after a submit, and lost that task.)
   * The request's context (who asks) goes along.
   */
  private static <T> Mono<T> toTheEnd(Mono<T> work) {
    return Mono.deferContextual(
        context -> Mono.fromFuture(() -> work.contextWrite(context).toFuture(), true));
  }

  /**
   * An Idempotency-Key as stored: one owner's keys never meet another's, so a key cannot reach
   * another user's task or batch (nor tell that somebody used it). The first owner's are stored as
   * they came, as before accounts.
   */
  private static @Nullable String ownKey(String owner, @Nullable String key) {
    return key == null || owner.isEmpty() ? key : owner + "/" + key;
  }

  private Mono<BatchPlan> submitBatchOnce(BatchRequest request, String idempotencyKey) {
    String fingerprint = fingerprint(request);
    Mono<BatchPlan> earlier =
        batchSubmissions
            .find(idempotencyKey)
            .flatMap(
                found ->
                    found.fingerprint().equals(fingerprint)
                        ? Mono.just(JSON.readValue(found.planJson(), BatchPlan.class))
                        : Mono.error(
                            new InvalidRequestException(
                                "Idempotency-Key",
                                "was already used for a different request; use a new key for a new request")));
    return earlier.switchIfEmpty(
        Mono.defer(
            () ->
                planBatch(request, idempotencyKey, fingerprint)
                    .onErrorResume(DataIntegrityViolationException.class, e -> earlier)));
  }

  private Mono<BatchPlan> planBatch(
      BatchRequest request, @Nullable String idempotencyKey, @Nullable String fingerprint) {
    return inputs
        .resolve(request.presetId(), request.referenceImageIds())
        .map(resolved -> batches.plan(request, resolved))
        .flatMap(
            planned ->
                submitters
                    .owner(planned.stream().map(g -> g.params().model()).distinct().toList())
                    .map(owner -> Map.entry(planned, owner)))
        .flatMap(
            owned -> {
              List<ValidatedGeneration> planned = owned.getKey();
              String owner = owned.getValue();
              int images = planned.stream().mapToInt(g -> g.params().numImages()).sum();
              BigDecimal cost =
                  planned.stream()
                      .map(
                          g ->
                              BigDecimal.valueOf(
                                      g.model()
                                          .priceFor(
                                              (long) g.params().width() * g.params().height()))
                                  .multiply(BigDecimal.valueOf(g.params().numImages())))
                      .reduce(BigDecimal.ZERO, BigDecimal::add)
                      .setScale(2, RoundingMode.HALF_UP);
              if (Boolean.TRUE.equals(request.dryRun())) {
                return Mono.just(new BatchPlan(null, List.of(), planned.size(), images, cost));
              }
              String batchId = ids.next();
              Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
              // Distinct, ordered creation times keep the batch in submission order in every list.
              List<Task> created =
                  java.util.stream.IntStream.range(0, planned.size())
                      .mapToObj(
                          i ->
                              Task.pending(
                                  ids.next(), planned.get(i), now.plusMillis(i), batchId, owner))
                      .toList();
              BatchPlan plan =
                  new BatchPlan(
                      batchId,
                      created.stream().map(Task::id).toList(),
                      created.size(),
                      images,
                      cost);
              Mono<Void> key =
                  idempotencyKey == null || fingerprint == null
                      ? Mono.empty()
                      : batchSubmissions.insert(
                          idempotencyKey, fingerprint, batchId, JSON.writeValueAsString(plan), now);
              Mono<Void> store =
                  key.thenMany(
                          Flux.fromIterable(created)
                              .concatMap(
                                  task ->
                                      store(task, new TaskRepository.Origin(null, null, batchId))))
                      .then();
              // One transaction: a batch is stored whole or not at all, and never without its key.
              return quota
                  .admit(images, owner, store.as(transaction::transactional))
                  .thenMany(
                      Flux.fromIterable(created)
                          .concatMap(
                              task ->
                                  events
                                      .publish(TaskEvent.CREATED, task.id())
                                      .doOnSuccess(done -> dispatcher.enqueue(task))))
                  .then(Mono.just(plan));
            });
  }

  /**
   * Stores a new task: its row and its count in the usage ledger ({@code tasks}) in one
   * transaction, joining the caller's for a batch. The search index hears of the task first, so no
   * search misses it, and forgets it again if it is not stored.
   */
  private Mono<Void> store(Task task, TaskRepository.Origin origin) {
    Mono<Void> stored =
        counting.together(
            tasks.insert(task, origin),
            task.params().model(),
            task.owner(),
            UsageLedger.Measure.TASKS,
            task.createdAt());
    return index
        .add(task.id(), task.params().prompt())
        .then(stored.onErrorResume(e -> index.remove(task.id()).then(Mono.error(e))));
  }

  /** Cancels a waiting or running task, counted in the usage ledger with the change. */
  Mono<Task> cancel(String taskId) {
    return toTheEnd(cancelling(taskId));
  }

  private Mono<Task> cancelling(String taskId) {
    return existing(taskId)
        .flatMap(
            task -> {
              Instant now = clock.instant();
              return counting
                  .ifChanged(
                      tasks.cancel(taskId, now),
                      task.params().model(),
                      task.owner(),
                      UsageLedger.Measure.CANCELLED,
                      now)
                  .flatMap(
                      cancelled -> {
                        if (!cancelled) {
                          return Mono.error(
                              new TaskConflictException(taskId, "cancelled", task.status()));
                        }
                        dispatcher.cancelled(taskId);
                        return events
                            .publish(TaskEvent.CANCELLED, taskId)
                            .then(tasks.findById(taskId));
                      });
            });
  }

  Mono<Task> retry(String taskId) {
    return toTheEnd(retrying(taskId));
  }

  private Mono<Task> retrying(String taskId) {
    return existing(taskId)
        .flatMap(
            task ->
                // A retry asks upstream again for the images the task has not stored yet. Only a
                // failed or cancelled task is requeued; any other gets its 409 below, not a quota
                // answer, and needs no count. Submits whose answer was never heard are forgotten
                // first: retrying is the user's choice to submit anew.
                (task.status() == TaskStatus.FAILED || task.status() == TaskStatus.CANCELLED
                        ? upstreamJobs
                            .forgetUnanswered(taskId)
                            .then(images.findByTask(taskId).count())
                            .map(stored -> (int) Math.max(0, task.params().numImages() - stored))
                        : Mono.just(0))
                    .flatMap(asked -> quota.admit(asked, task.owner(), tasks.requeue(taskId)))
                    .flatMap(
                        requeued -> {
                          if (!requeued) {
                            return Mono.error(
                                new TaskConflictException(taskId, "retried", task.status()));
                          }
                          dispatcher.enqueue(task);
                          return events
                              .publish(TaskEvent.PROGRESS, taskId)
                              .then(tasks.findById(taskId));
                        }));
  }

  /** Deletes a finished task with its images; a pending or running one is cancelled first. */
  Mono<Void> delete(String taskId) {
    return toTheEnd(
        existing(taskId)
            .flatMap(task -> task.status().terminal() ? Mono.just(task) : cancelling(taskId))
            .flatMap(
                task ->
                    images
                        .findByTask(taskId)
                        .collectList()
                        .flatMap(
                            stored ->
                                events
                                    .publish(TaskEvent.DELETED, taskId)
                                    .then(tasks.delete(taskId))
                                    .then(images.deleteFiles(stored)))));
  }

  Mono<Task> favourite(String taskId, boolean favourite) {
    return existing(taskId)
        .flatMap(task -> tasks.setFavourite(taskId, favourite))
        .then(Mono.defer(() -> events.publish(TaskEvent.PROGRESS, taskId)))
        .then(Mono.defer(() -> tasks.findById(taskId)));
  }

  /**
   * Puts a waiting task first in its owner's line; an admin's move (or anybody's with login off)
   * also gives that line the next turn, a member's does not jump the other owners.
   */
  Mono<Task> moveToFront(String taskId) {
    return Caller.current()
        .map(Caller::admin)
        .defaultIfEmpty(true)
        .flatMap(nextTurn -> existing(taskId).map(task -> Map.entry(task, nextTurn)))
        .flatMap(
            moving ->
                dispatcher.moveToFront(taskId, moving.getValue())
                    ? events.publish(TaskEvent.PROGRESS, taskId).then(tasks.findById(taskId))
                    : Mono.error(
                        new TaskConflictException(
                            taskId,
                            "moved to the front (it is not waiting)",
                            moving.getKey().status())));
  }

  private Mono<Task> existing(String taskId) {
    return tasks
        .findById(taskId)
        .switchIfEmpty(Mono.error(() -> new NotFoundException("task", taskId)));
  }

  /** The request as JSON, hashed: what makes two submits "the same" for an Idempotency-Key. */
  private static String fingerprint(Object request) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(JSON.writeValueAsString(request).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
