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
   * Submits once and polls. The upstream task id is committed before the first poll, so a restart
   * finds it and polls again rather than paying for a second submission.
   */
  @Override
  public Mono<List<byte[]>> generate(
      CatalogModel model,
      Providers.Active connections,
      Mono<ImageRequest> request,
      UpstreamJobs jobs) {
    var connection = connections.visual().orElseThrow();
    Mono<String> submitted =
        request
            .flatMap(
                image ->
                    governor.withRetries(
                        visual
                            .submit(connection, WireRequests.asyncSubmit(image, model))
                            .onErrorMap(VolcApiException.class, VisualAsyncProvider::unknownJob)))
            .flatMap(
                upstreamId -> jobs.remember(model.reqKey(), upstreamId).thenReturn(upstreamId));
    Duration interval =
        Duration.ofMillis(Math.max(300, Math.min(2000, model.typicalLatencyMs() / 8)));
    return jobs.submitted()
        .switchIfEmpty(submitted)
        .flatMap(
            upstreamId ->
                governor
                    .withRetries(
                        visual.result(
                            connection, model.reqKey(), upstreamId, WireRequests.resultOptions()))
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
                            .filter(NotReadyYet.class::isInstance)));
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

  /** Signals one more poll; never leaves this class. */
  private static final class NotReadyYet extends RuntimeException {
    NotReadyYet() {
      super(null, null, false, false);
    }
  }
}
