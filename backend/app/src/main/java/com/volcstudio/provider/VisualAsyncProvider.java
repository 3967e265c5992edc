package com.volcstudio.provider;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.connection.Providers;
import com.volcstudio.volcengine.QuotaGovernor;
import com.volcstudio.volcengine.UpstreamError;
import com.volcstudio.volcengine.VisualClient;
import com.volcstudio.volcengine.VolcApiException;
import com.volcstudio.volcengine.VolcErrorCodes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The visual API's asynchronous actions ({@code CVSync2Async*}): submit once, remember the upstream
 * task, poll until it is done, and cancel it on request ({@code CVCancelTask},
 * docs/volcengine/PROTOCOL.md §3).
 */
@Component
final class VisualAsyncProvider implements ImageProvider {

  static final String ACTION = "CVSync2Async";
  private static final Logger log = LoggerFactory.getLogger(VisualAsyncProvider.class);

  private final VisualClient visual;
  private final QuotaGovernor governor;

  VisualAsyncProvider(VisualClient visual, QuotaGovernor governor) {
    this.visual = visual;
    this.governor = governor;
  }

  @Override
  public boolean serves(CatalogModel model) {
    return model.provider().equals("visual") && model.action().equals(ACTION);
  }

  /**
   * Submits once and polls. That a submit is going out is committed before it leaves, and the
   * upstream task id before the first poll, so a restart finds it and polls again rather than
   * paying for a second submission.
   */
  @Override
  public Mono<List<byte[]>> generate(
      CatalogModel model,
      Providers.Active connections,
      Mono<ImageRequest> request,
      UpstreamJobs jobs) {
    var connection = connections.visual().orElseThrow();
    // The mark that a submit is out: written before an attempt leaves, unless it already is;
    // forgotten when the service answers that it did not take it, and kept for good once an
    // attempt's answer was lost (that attempt may have created a job).
    AtomicBoolean marked = new AtomicBoolean();
    AtomicBoolean lost = new AtomicBoolean();
    Mono<Void> goingOut =
        Mono.defer(
            () ->
                marked.get()
                    ? Mono.empty()
                    : jobs.submitting(model.reqKey()).doOnSuccess(done -> marked.set(true)));
    Mono<String> submitted =
        request
            .flatMap(
                image ->
                    governor.withRetries(
                        visual
                            .submit(connection, WireRequests.asyncSubmit(image, model), goingOut)
                            .onErrorResume(
                                VolcApiException.class,
                                e -> {
                                  if (e.error().outcomeUnknown()) {
                                    lost.set(true);
                                    return Mono.error(unknownJob(e));
                                  }
                                  // Not taken: a restart meanwhile may submit again, unless an
                                  // earlier attempt's answer was lost.
                                  return lost.get()
                                      ? Mono.error(e)
                                      : jobs.refused()
                                          .doOnSuccess(done -> marked.set(false))
                                          .then(Mono.error(e));
                                })))
            .doOnNext(upstreamId -> log.debug("{}: submitted as {}", model.reqKey(), upstreamId))
            .flatMap(
                upstreamId -> jobs.remember(model.reqKey(), upstreamId).thenReturn(upstreamId));
    Duration interval =
        Duration.ofMillis(Math.max(300, Math.min(2000, model.typicalLatencyMs() / 8)));
    // One concurrency slot from the submit to the result (a resumed job's polls included).
    return governor.job(
        jobs.recorded()
            .flatMap(
                recorded ->
                    recorded.upstreamTaskId() != null
                        ? Mono.just(recorded.upstreamTaskId())
                        : Mono.<String>error(interrupted(model)))
            .switchIfEmpty(submitted)
            .flatMap(
                upstreamId ->
                    governor
                        .withRetries(
                            visual.result(
                                connection,
                                model.reqKey(),
                                upstreamId,
                                WireRequests.resultOptions()))
                        .doOnNext(result -> log.debug("{}: {}", upstreamId, result.status()))
                        .flatMap(
                            result ->
                                result.done()
                                    ? Mono.just(result.images())
                                    : result.lost()
                                        ? Mono.error(
                                            new VolcApiException(
                                                VolcErrorCodes.describe(
                                                    "UPSTREAM_TASK_LOST",
                                                    "upstream task "
                                                        + upstreamId
                                                        + " is "
                                                        + result.status(),
                                                    0)))
                                        : Mono.<List<byte[]>>error(new NotReadyYet()))
                        .retryWhen(
                            Retry.fixedDelay(Long.MAX_VALUE, interval)
                                .filter(NotReadyYet.class::isInstance))));
  }

  @Override
  public Mono<Boolean> cancel(
      CatalogModel model, Providers.Active connections, String upstreamTaskId) {
    return connections
        .visual()
        .map(
            connection ->
                visual.cancel(connection, model.reqKey(), upstreamTaskId).thenReturn(true))
        .orElseGet(() -> Mono.just(false));
  }

  /**
   * A submit whose answer was lost (no answer in time, a success that could not be read) may have
   * created a job: the API takes no key of ours to find it by, so it is lost to us, and if it ran
   * it is billed. Submitting again may pay twice, so it is tried again only {@code
   * VOLC_MAX_RETRIES} times, not until the deadline as failures that cost nothing are: a task that
   * fails here says what happened and can be retried by hand.
   */
  private static VolcApiException unknownJob(VolcApiException e) {
    return e.error().outcomeUnknown()
        ? new VolcApiException(e.error().withRetry(UpstreamError.Retry.BOUNDED), e)
        : e;
  }

  /**
   * A submit went out and the app stopped before its answer was recorded: the service may have
   * accepted it, and the API takes no key of ours to find it by. Submitting again could pay twice,
   * so the task fails and says so; the user's retry submits anew. Never retried automatically: it
   * is raised before the governor's retries.
   */
  private static VolcApiException interrupted(CatalogModel model) {
    return new VolcApiException(
        VolcErrorCodes.describe(
            "SUBMIT_INTERRUPTED",
            "the app stopped while submitting to " + model.reqKey() + "; its answer was not heard",
            0));
  }

  /** Signals one more poll; never leaves this class. */
  private static final class NotReadyYet extends RuntimeException {
    NotReadyYet() {
      super(null, null, false, false);
    }
  }
}
