package com.volcstudio.emulator;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.function.Tuple2;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The visual service behind the gateway: routes actions and answers them
 * (docs/volcengine/PROTOCOL.md §3, §4.1).
 */
final class VisualService {

  static final String VERSION = "2022-08-31";
  static final String CANCEL_VERSION = "2024-06-06";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final EmulatorSettings settings;
  private final ImageRenderer renderer;
  private final QuotaGate quotas;
  private final AsyncTasks tasks;
  private final ResultStore results;
  private final EmulatorStats stats;
  private final LatencyModel latency;
  private final GenerationReader reader;

  VisualService(
      EmulatorSettings settings,
      Clock clock,
      ImageRenderer renderer,
      QuotaGate quotas,
      ResultStore results,
      EmulatorStats stats,
      LatencyModel latency) {
    this.settings = settings;
    this.renderer = renderer;
    this.quotas = quotas;
    this.results = results;
    this.stats = stats;
    this.tasks =
        new AsyncTasks(
            clock, settings.async().taskLifetime(), this::render, settings.async().stateDir());
    this.latency = latency;
    this.reader = new GenerationReader(new Random(settings.jitter().seed()));
  }

  /** The quota family of an action the service serves, or null for one it does not know. */
  static QuotaGate.@org.jspecify.annotations.Nullable Family family(String action, String version) {
    return switch (action + "@" + version) {
      case "CVProcess@" + VERSION,
          "HighAesSmartDrawing@" + VERSION,
          "Img2ImgInpainting@" + VERSION,
          "Img2ImgInpaintingEdit@" + VERSION,
          "Img2ImgOutpainting@" + VERSION,
          "SaliencySeg@" + VERSION ->
          QuotaGate.Family.CV_PROCESS;
      case "CVSync2AsyncSubmitTask@" + VERSION -> QuotaGate.Family.SUBMIT;
      case "CVSync2AsyncGetResult@" + VERSION -> QuotaGate.Family.QUERY;
      case "CVCancelTask@" + CANCEL_VERSION -> QuotaGate.Family.CANCEL;
      default -> null;
    };
  }

  /** Answers an authenticated request for an action {@link #family} knows. */
  Mono<Reply> dispatch(String action, byte[] body, URI base) {
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (JacksonException e) {
      return Mono.just(Envelopes.service(ServiceError.parseArgs("body is not JSON")));
    }
    if (request == null || !request.isObject()) {
      return Mono.just(Envelopes.service(ServiceError.parseArgs("body must be a JSON object")));
    }
    Mono<Reply> answer =
        Mono.defer(
            () ->
                switch (action) {
                  case "CVSync2AsyncSubmitTask" -> submit(request, body);
                  case "CVSync2AsyncGetResult" -> result(request, base);
                  case "CVCancelTask" -> cancel(request);
                  default ->
                      // family() let only known actions through.
                      sync(
                          java.util.Objects.requireNonNull(VisualAction.synchronous(action)),
                          request,
                          base);
                });
    return answer.onErrorResume(
        RejectedRequest.class, e -> Mono.just(Envelopes.service(e.error())));
  }

  private Mono<Reply> sync(VisualAction action, JsonNode request, URI base) {
    long started = System.nanoTime();
    return read(request, action)
        .flatMap(
            generation -> {
              var failure = generation.failed();
              if (failure.isPresent() && failure.get().answeredAtSubmit()) {
                return Mono.just(Envelopes.service(failure.get()));
              }
              if (!quotas.startCall(tasks::unfinished)) {
                return Mono.just(Envelopes.service(ServiceError.concurrencyLimit()));
              }
              Mono<Reply> work =
                  failure.isPresent()
                      ? Mono.just(Envelopes.service(failure.get()))
                      : render(generation)
                          .map(
                              images ->
                                  Envelopes.success(
                                      delivered(generation, images, base), elapsed(started)));
              // Painted while the latency runs (see ArkImages#generate).
              return Mono.zip(
                      work, Mono.delay(latency.forImages(generation.count(), generation.prompt())))
                  .map(Tuple2::getT1)
                  .doFinally(signal -> quotas.endCall());
            });
  }

  private Mono<Reply> submit(JsonNode request, byte[] body) {
    long started = System.nanoTime();
    return read(request, VisualAction.ASYNC)
        .flatMap(
            generation -> {
              var failure = generation.failed();
              if (failure.isPresent() && failure.get().answeredAtSubmit()) {
                return Mono.just(Envelopes.service(failure.get()));
              }
              AtomicReference<AsyncTask> created = new AtomicReference<>();
              Duration generationTime = latency.forImages(generation.count(), generation.prompt());
              if (!quotas.submitIfRoom(
                  tasks::unfinished, () -> created.set(tasks.submit(generation, generationTime)))) {
                return Mono.just(Envelopes.service(ServiceError.concurrencyLimit()));
              }
              AsyncTask task = created.get();
              stats.submitted(generation.spec().reqKey(), task.id(), sha256(body));
              return tasks
                  .keep(task)
                  .thenReturn(Envelopes.success(Map.of("task_id", task.id()), elapsed(started)));
            });
  }

  private Mono<Reply> result(JsonNode request, URI base) {
    long started = System.nanoTime();
    RequestFields fields = new RequestFields(request);
    String reqKey = fields.requiredString("req_key");
    String taskId = fields.requiredString("task_id");
    if (!taskId.chars().allMatch(Character::isDigit)) {
      // 3P see 50215 for task ids a client mangled (e.g. parsed as a float), §3.1.
      return Mono.just(
          Envelopes.service(ServiceError.inputRejected("task_id " + taskId + " is not a task id")));
    }
    OutputOptions options = OutputOptions.read(new RequestFields(reqJson(fields)));
    var found = tasks.find(taskId).filter(task -> task.generation().spec().reqKey().equals(reqKey));
    if (found.isEmpty()) {
      return Mono.just(Envelopes.success(pending(AsyncTask.Status.NOT_FOUND), elapsed(started)));
    }
    AsyncTask task = found.get();
    AsyncTask.Status status = tasks.status(task);
    if (status != AsyncTask.Status.DONE) {
      return Mono.just(Envelopes.success(pending(status), elapsed(started)));
    }
    if (task.generation().failed().isPresent()) {
      return Mono.just(Envelopes.service(task.generation().failed().get()));
    }
    Generation generation = task.generation().withOptions(options);
    // The watermark is chosen at GetResult (req_json.logo_info), so only the unmarked images are
    // cached.
    Mono<List<byte[]>> images = options.watermark() == null ? task.images() : render(generation);
    return images.map(
        bytes -> {
          Map<String, Object> data = new LinkedHashMap<>();
          data.put("status", status.wire());
          data.putAll(delivered(generation, bytes, base));
          return Envelopes.success(data, elapsed(started));
        });
  }

  /**
   * Cancel answers are not documented (UNCERTAIN): the task's status after the call, as GetResult
   * names them.
   */
  private Mono<Reply> cancel(JsonNode request) {
    RequestFields fields = new RequestFields(request);
    String reqKey = fields.requiredString("req_key");
    String taskId = fields.requiredString("task_id");
    var found = tasks.find(taskId).filter(task -> task.generation().spec().reqKey().equals(reqKey));
    if (found.isEmpty()) {
      return Mono.just(cancelReply(taskId, AsyncTask.Status.NOT_FOUND.wire()));
    }
    AsyncTask task = found.get();
    Mono<String> status =
        tasks.status(task).unfinished()
            ? tasks
                .cancel(taskId)
                .map(cancelled -> cancelled ? "cancelled" : tasks.status(task).wire())
            : Mono.just(tasks.status(task).wire());
    return status.map(wire -> cancelReply(taskId, wire));
  }

  private static Reply cancelReply(String taskId, String status) {
    return Envelopes.success(Map.of("task_id", taskId, "status", status), 0);
  }

  /**
   * {@code req_json} is a string holding serialised JSON (§3.1); anything else is a parse error.
   */
  private static JsonNode reqJson(RequestFields fields) {
    String text = fields.string("req_json").orElse("{}");
    try {
      JsonNode parsed = JSON.readTree(text.isBlank() ? "{}" : text);
      if (parsed != null && parsed.isObject()) {
        return parsed;
      }
    } catch (JacksonException e) {
      // answered below
    }
    throw new RejectedRequest(
        ServiceError.parseArgs("req_json must be a string holding a JSON object"));
  }

  /**
   * GetResult's data for a task without images; the image fields follow the configured shape
   * (UNCERTAIN, §3.1).
   */
  private Map<String, Object> pending(AsyncTask.Status status) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("status", status.wire());
    switch (settings.async().pendingResult()) {
      case NULL_IMAGES -> {
        data.put("binary_data_base64", null);
        data.put("image_urls", null);
      }
      case EMPTY_IMAGES -> {
        data.put("binary_data_base64", List.of());
        data.put("image_urls", List.of());
      }
      case STATUS_ONLY -> {}
    }
    return data;
  }

  /** Checks the body against its req_key's row; off the event loop, as input images are decoded. */
  private Mono<Generation> read(JsonNode request, VisualAction action) {
    return Mono.fromCallable(() -> reader.read(request, action))
        .subscribeOn(Schedulers.boundedElastic());
  }

  /**
   * Rendering and encoding are CPU-bound: on the renderer's own few threads, never an event loop.
   */
  private Mono<List<byte[]>> render(Generation generation) {
    return Mono.fromCallable(
            () -> {
              ImageEdit edit = generation.edit();
              if (edit != null) {
                List<byte[]> edited =
                    edit.apply(renderer, generation.seed(), generation.options().returnUrl());
                stats.rendered(edited.size());
                return edited;
              }
              List<byte[]> images = new ArrayList<>();
              for (int i = 0; i < generation.count(); i++) {
                images.add(
                    renderer.render(
                        generation.prompt(),
                        generation.seed() + i,
                        generation.size().width(),
                        generation.size().height(),
                        generation.spec().format(),
                        generation.options().watermark()));
              }
              stats.rendered(images.size());
              return images;
            })
        .subscribeOn(renderer.scheduler());
  }

  /**
   * The image part of {@code data} (§4.1): base64, or emulator-served links when {@code return_url}
   * is set.
   */
  private Map<String, Object> delivered(Generation generation, List<byte[]> images, URI base) {
    Map<String, Object> data = new LinkedHashMap<>();
    if (generation.options().returnUrl()) {
      Duration lifetime =
          settings.async().resultUrlLifetime() != null
              ? settings.async().resultUrlLifetime()
              : generation.spec().urlLifetime();
      List<String> urls = new ArrayList<>();
      images.forEach(
          bytes -> urls.add(results.put(base, bytes, format(generation), lifetime).toString()));
      data.put("binary_data_base64", List.of());
      data.put("image_urls", urls);
    } else {
      data.put(
          "binary_data_base64", images.stream().map(Base64.getEncoder()::encodeToString).toList());
      data.put("image_urls", null);
    }
    ImageEdit edit = generation.edit();
    if (edit != null && edit.kind() == EditKind.SALIENCY) {
      // 3P sees the subject's box beside the images (PROTOCOL-2026-12 §1e).
      int[] box = ImageEdit.subject(edit.output().width(), edit.output().height());
      if (edit.onlyMask() != 0) {
        data.put("bbox", List.of(box[0], box[1], box[2], box[3]));
      }
    }
    data.put("algorithm_base_resp", Map.of("status_code", 0, "status_message", "Success"));
    data.put("request_id", randomHex(32));
    return data;
  }

  /** How a result link's bytes are typed: an edit's own format, a cut-out's link a JPEG (§1e). */
  private static ImageFormat format(Generation generation) {
    ImageEdit edit = generation.edit();
    if (edit == null) {
      return generation.spec().format();
    }
    return edit.kind() == EditKind.SALIENCY ? ImageFormat.JPEG : edit.format();
  }

  private long elapsed(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** The query's plain name → value view, for routing only (signature checks use the raw form). */
  static Map<String, String> plainQuery(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.putIfAbsent(name, value);
    }
    return params;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
