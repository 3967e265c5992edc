package com.volcstudio.emulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.function.Tuple2;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ark's {@code POST /api/v3/images/generations} (docs/volcengine/PROTOCOL.md §6): Bearer key, the
 * models of §6.2 with their size, seed and guidance rules, group generation for 4.x+, JPEG images
 * as URLs served by the emulator (24 h) or base64, {@code usage} as §6.4. With {@code stream: true}
 * (the models that make sets) the images come as Server-Sent Events, each as soon as it is painted,
 * framed as PROTOCOL-2026-12 §2 captures them; parameter errors stay a plain 400 before any stream.
 */
final class ArkImages {

  static final String PATH = "/api/v3/images/generations";
  static final String ACTION = "ArkImagesGenerations";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern DATA_URI =
      Pattern.compile("data:image/([a-z]+);base64,(.*)", Pattern.DOTALL);
  private static final long MAX_IMAGE_BYTES = 10L * 1024 * 1024;
  private static final long MAX_IMAGE_PIXELS = 6000L * 6000;
  private static final java.time.Duration URL_LIFETIME = java.time.Duration.ofHours(24);

  private final EmulatorSettings settings;
  private final Clock clock;
  private final ImageRenderer renderer;
  private final ResultStore results;
  private final EmulatorStats stats;
  private final LatencyModel latency;

  ArkImages(
      EmulatorSettings settings,
      Clock clock,
      ImageRenderer renderer,
      ResultStore results,
      EmulatorStats stats,
      LatencyModel latency) {
    this.settings = settings;
    this.clock = clock;
    this.renderer = renderer;
    this.results = results;
    this.stats = stats;
    this.latency = latency;
  }

  /** A checked request: what to paint, how many, and how to hand the images back. */
  private record Job(
      ArkModel model,
      String prompt,
      OutputSize size,
      int count,
      long seed,
      boolean watermark,
      boolean base64,
      boolean group,
      boolean webSearch,
      ImageFormat output,
      boolean stream,
      boolean transparent,
      @Nullable ArkError failure) {}

  /** Whether the {@code Authorization: Bearer} key is the configured one (§6.1). */
  boolean authenticated(IncomingRequest request) {
    return request
        .header("Authorization")
        .map(String::trim)
        .filter(h -> h.equals("Bearer " + settings.arkApiKey()))
        .isPresent();
  }

  Mono<Reply> generate(byte[] body, URI base) {
    Mono<Job> read = Mono.fromCallable(() -> read(body)).subscribeOn(Schedulers.boundedElastic());
    return read.flatMap(job -> job.stream() ? Mono.just(stream(job, base)) : whole(job, base))
        .onErrorResume(ArkRejection.class, e -> Mono.just(e.error().reply()));
  }

  private Mono<Reply> whole(Job job, URI base) {
    // The image is painted while the latency runs, as the real service's latency includes its own
    // painting: the answer comes after the latency, not after the latency plus the painting.
    return Mono.zip(answer(job, base), Mono.delay(latency.forImages(job.count(), job.prompt())))
        .map(Tuple2::getT1);
  }

  /**
   * A set as a stream: each image after its own latency, as {@code
   * image_generation.partial_succeeded} (or {@code partial_failed} for the one a fault marks), then
   * {@code image_generation.completed} with the usage, then {@code data: [DONE]}. A fault the set
   * does not tolerate is answered before the stream, as a plain error.
   */
  private Reply stream(Job job, URI base) {
    ArkError failure = job.failure();
    if (failure != null && !groupTolerates(failure)) {
      return failure.reply();
    }
    int failing = failure == null ? -1 : Math.min(1, job.count() - 1);
    int last = failure != null && failure.stopsGroup() ? failing : job.count() - 1;
    AtomicInteger generated = new AtomicInteger();
    Flux<String> images =
        Flux.range(0, last + 1)
            .concatMap(
                i ->
                    Mono.delay(latency.forImages(1, job.prompt()))
                        .then(
                            Mono.fromCallable(
                                    () -> {
                                      if (i == failing) {
                                        return frame(failed(job, i, failure));
                                      }
                                      Map<String, Object> event =
                                          event(job, "image_generation.partial_succeeded");
                                      event.put("image_index", i);
                                      event.putAll(item(job, paint(job, i), base));
                                      event.putIfAbsent("size", job.size().toString());
                                      generated.incrementAndGet();
                                      return frame(event);
                                    })
                                .subscribeOn(renderer.scheduler())));
    Flux<String> end =
        Flux.defer(
            () -> {
              Map<String, Object> completed = event(job, "image_generation.completed");
              completed.put("usage", usage(job, generated.get()));
              return Flux.just(frame(completed), "data: [DONE]\n\n");
            });
    return Reply.stream("200", images.concatWith(end));
  }

  private Map<String, Object> event(Job job, String type) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type);
    event.put("model", job.model().id());
    event.put("created", clock.instant().getEpochSecond());
    return event;
  }

  private Map<String, Object> failed(Job job, int index, ArkError failure) {
    Map<String, Object> event = event(job, "image_generation.partial_failed");
    event.put("image_index", index);
    event.put(
        "error",
        Map.of(
            "code",
            failure.code(),
            "message",
            failure.inner(Envelopes.requestId()).get("message")));
    return event;
  }

  /** Image {@code i} of the job, painted and encoded; counted as rendered. */
  private byte[] paint(Job job, int i) {
    byte[] image =
        job.transparent()
            ? ImageRenderer.encode(
                ImageEdit.cutOut(
                    renderer.paint(
                        job.prompt(), job.seed() + i, job.size().width(), job.size().height())),
                ImageFormat.PNG)
            : renderer.render(
                job.prompt(),
                job.seed() + i,
                job.size().width(),
                job.size().height(),
                job.output(),
                job.watermark() ? Watermark.ARK_DEFAULT : null);
    stats.rendered(1);
    return image;
  }

  /** §6.4's usage: images made, and tokens as their pixels / 256. */
  private static Map<String, Object> usage(Job job, int generated) {
    long pixels = generated * job.size().area();
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("generated_images", generated);
    usage.put("output_tokens", pixels / 256);
    usage.put("total_tokens", pixels / 256);
    if (job.webSearch()) {
      // One search per request here; the real model decides (0 = none made).
      usage.put("tool_usage", Map.of("web_search", 1));
    }
    return usage;
  }

  /** One SSE frame; its event name is its data's type, on one line (§2). */
  private static String frame(Map<String, Object> data) {
    return "event: " + data.get("type") + "\ndata: " + JSON.writeValueAsString(data) + "\n\n";
  }

  /** The same stream, cut after its first frame: the connection closes without the rest. */
  static Reply cutAfterFirst(Reply streamed) {
    return Reply.stream(
        FaultRule.CUT,
        java.util.Objects.requireNonNull(streamed.events())
            .take(1)
            .concatWith(Flux.error(new IllegalStateException("stream cut by an injected fault"))));
  }

  private Mono<Reply> answer(Job job, URI base) {
    if (job.failure() != null && !(job.group() && groupTolerates(job.failure()))) {
      return Mono.just(job.failure().reply());
    }
    // In group generation one image fails (the second, or the only one); moderation lets the rest
    // through, an internal error ends the group there (§6.4).
    int failing = job.failure() == null ? -1 : Math.min(1, job.count() - 1);
    return Mono.fromCallable(
            () -> {
              List<Map<String, Object>> data = new ArrayList<>();
              int generated = 0;
              for (int i = 0; i < job.count(); i++) {
                if (i == failing) {
                  data.add(Map.of("error", job.failure().inner(Envelopes.requestId())));
                  if (job.failure().stopsGroup()) {
                    break;
                  }
                  continue;
                }
                data.add(item(job, paint(job, i), base));
                generated++;
              }
              Map<String, Object> response = new LinkedHashMap<>();
              response.put("model", job.model().id());
              response.put("created", clock.instant().getEpochSecond());
              response.put("data", data);
              response.put("usage", usage(job, generated));
              if (job.webSearch()) {
                response.put("tools", List.of(Map.of("type", "web_search")));
              }
              return Reply.json(200, "200", JSON.writeValueAsString(response));
            })
        .subscribeOn(renderer.scheduler());
  }

  private static boolean groupTolerates(ArkError failure) {
    return failure.code().startsWith("OutputImage") || failure.stopsGroup();
  }

  private Map<String, Object> item(Job job, byte[] image, URI base) {
    Map<String, Object> item = new LinkedHashMap<>();
    if (job.base64()) {
      item.put("b64_json", Base64.getEncoder().encodeToString(image));
    } else {
      var lifetime =
          settings.async().resultUrlLifetime() != null
              ? settings.async().resultUrlLifetime()
              : URL_LIFETIME;
      item.put("url", results.put(base, image, job.output(), lifetime).toString());
    }
    if (job.model().reportsSize()) {
      item.put("size", job.size().toString());
    }
    return item;
  }

  private Job read(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new ArkRejection(ArkError.invalid("body", "not valid JSON"));
    }
    if (root == null || !root.isObject()) {
      throw new ArkRejection(ArkError.invalid("body", "must be a JSON object"));
    }
    String modelId = requiredString(root, "model");
    ArkModel model =
        ArkModel.find(modelId).orElseThrow(() -> new ArkRejection(ArkError.modelNotFound(modelId)));
    String prompt = requiredString(root, "prompt");
    boolean stream = root.path("stream").asBoolean(false);
    if (stream && !model.group()) {
      // 5.0 pro refuses it (PROTOCOL-2026-12 §2); for flash it is not known, and refused alike.
      throw new ArkRejection(ArkError.invalid("stream", "this model does not stream"));
    }
    List<InputImage> inputs = images(root.get("image"), model);
    OutputSize size =
        model.resolve(optionalString(root, "size").orElse(model.defaultSize()), inputs);
    long seed = -1;
    if (model.seed() && root.has("seed")) {
      seed = integer(root, "seed", -1, Integer.MAX_VALUE);
    }
    if (model.guidance() != null && root.has("guidance_scale")) {
      number(root, "guidance_scale", model.guidance().min(), model.guidance().max());
    }
    boolean watermark = bool(root, "watermark", true);
    String format = optionalString(root, "response_format").orElse("url");
    if (!format.equals("url") && !format.equals("b64_json")) {
      throw new ArkRejection(ArkError.invalid("response_format", "must be url or b64_json"));
    }
    boolean group = false;
    int count = 1;
    if (!model.group()
        && optionalString(root, "sequential_image_generation").orElse("").equals("auto")) {
      // 5.0 pro: a 400 naming the field (PROTOCOL-2026-12 §2, 3P); whether "disabled" is refused
      // too is not known, so it is let through.
      throw new ArkRejection(
          ArkError.invalid("sequential_image_generation", "image sets are not supported"));
    }
    if (model.group()) {
      String sequential = optionalString(root, "sequential_image_generation").orElse("disabled");
      if (!sequential.equals("auto") && !sequential.equals("disabled")) {
        throw new ArkRejection(
            ArkError.invalid("sequential_image_generation", "must be auto or disabled"));
      }
      group = sequential.equals("auto");
      JsonNode options = root.path("sequential_image_generation_options");
      int maxImages = options.has("max_images") ? (int) integer(options, "max_images", 1, 15) : 15;
      if (group && inputs.size() + maxImages > 15 && options.has("max_images")) {
        throw new ArkRejection(
            ArkError.invalid(
                "sequential_image_generation_options.max_images",
                "input images plus max_images must not exceed 15"));
      }
      // The real model decides how many; the emulator makes max_images, or fewer when a marker
      // asks.
      int allowed = Math.max(1, Math.min(maxImages, 15 - inputs.size()));
      count = group ? Math.min(allowed, PromptMarkers.imageCount(prompt).orElse(allowed)) : 1;
    }
    long actualSeed =
        seed >= 0
            ? seed
            : java.util.concurrent.ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE);
    ArkError failure =
        PromptMarkers.fault(prompt).map(e -> ArkError.fromServiceCode(e.code())).orElse(null);
    return new Job(
        model,
        prompt,
        size,
        Math.max(1, count),
        actualSeed,
        watermark,
        format.equals("b64_json"),
        group,
        webSearch(root, model),
        output(root, model),
        stream,
        transparent(root, model, inputs),
        failure);
  }

  /**
   * {@code background: "transparent"} (5.0 pro and flash): exactly one input image, a PNG with at
   * least one transparent pixel, and {@code output_format: png}; each broken rule is a 400 naming
   * its field (PROTOCOL-2026-12 §2, 3P tested).
   */
  private static boolean transparent(JsonNode root, ArkModel model, List<InputImage> inputs) {
    Optional<String> background = optionalString(root, "background");
    if (background.isEmpty()) {
      return false;
    }
    if (!model.transparentBackground() || !background.get().equals("transparent")) {
      throw new ArkRejection(
          ArkError.invalid("background", "the only background is transparent, on 5.0 pro"));
    }
    if (!optionalString(root, "output_format").orElse("jpeg").equals("png")) {
      throw new ArkRejection(
          ArkError.invalid("output_format", "a transparent background needs output_format png"));
    }
    if (inputs.size() != 1) {
      throw new ArkRejection(
          ArkError.invalid("image", "a transparent background needs exactly one input image"));
    }
    byte[] bytes = inputs.get(0).bytes();
    if (bytes == null || !hasTransparentPixel(bytes)) {
      throw new ArkRejection(
          ArkError.invalid("image", "the input must be a PNG with at least one transparent pixel"));
    }
    return true;
  }

  private static boolean hasTransparentPixel(byte[] bytes) {
    try {
      java.awt.image.BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      if (image == null || !image.getColorModel().hasAlpha()) {
        return false;
      }
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          if ((image.getRGB(x, y) >>> 24) < 255) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * {@code output_format} {@code png} or {@code jpeg} (the default): the 5.0 family only; 4.5 and
   * 4.0 always answer JPEG (PROTOCOL-2026-12 §2), so the field changes nothing there.
   */
  private static ImageFormat output(JsonNode root, ArkModel model) {
    String asked = optionalString(root, "output_format").orElse("jpeg");
    if (!asked.equals("png") && !asked.equals("jpeg")) {
      throw new ArkRejection(ArkError.invalid("output_format", "must be png or jpeg"));
    }
    return asked.equals("png") && model.pngOutput() ? ImageFormat.PNG : ImageFormat.JPEG;
  }

  /**
   * {@code tools: [{"type": "web_search"}]}: Seedream 5.0 Lite only (PROTOCOL-2026-12 §2); other
   * models answer a 400 naming {@code tools} (UNCERTAIN: modelled on Pro's answer for other
   * unsupported fields).
   */
  private static boolean webSearch(JsonNode root, ArkModel model) {
    JsonNode tools = root.path("tools");
    if (tools.isMissingNode() || tools.isNull()) {
      return false;
    }
    if (!model.webSearch()) {
      throw new ArkRejection(ArkError.invalid("tools", "this model does not support tools"));
    }
    if (!tools.isArray()) {
      throw new ArkRejection(ArkError.invalid("tools", "must be an array"));
    }
    boolean search = false;
    for (JsonNode tool : tools.values()) {
      if (!tool.path("type").asString("").equals("web_search")) {
        throw new ArkRejection(ArkError.invalid("tools", "the only tool is web_search"));
      }
      search = true;
    }
    return search;
  }

  private static List<InputImage> images(@Nullable JsonNode node, ArkModel model) {
    List<String> values = new ArrayList<>();
    if (node != null && !node.isNull()) {
      if (node.isString()) {
        values.add(node.asString());
      } else if (node.isArray()) {
        for (JsonNode item : node.values()) {
          if (!item.isString()) {
            throw new ArkRejection(
                ArkError.invalid("image", "must be a string or an array of strings"));
          }
          values.add(item.asString());
        }
      } else {
        throw new ArkRejection(
            ArkError.invalid("image", "must be a string or an array of strings"));
      }
    }
    if (values.size() > model.maxImages()) {
      throw new ArkRejection(
          model.maxImages() == 0
              ? ArkError.invalid("image", "this model does not accept input images")
              : ArkError.invalid("image", "at most " + model.maxImages() + " image(s)"));
    }
    if (values.size() < model.minImages()) {
      throw new ArkRejection(ArkError.missing("image"));
    }
    List<InputImage> images = new ArrayList<>();
    for (String value : values) {
      images.add(image(value));
    }
    return images;
  }

  /**
   * A URL (not fetched: the emulator is offline) or {@code data:image/<png|jpeg>;base64,…} checked
   * against §6.3.
   */
  private static InputImage image(String value) {
    if (value.startsWith("http://") || value.startsWith("https://")) {
      return InputImage.UNKNOWN_SIZE;
    }
    Matcher m = DATA_URI.matcher(value);
    if (!m.matches()
        || !(m.group(1).equals("png") || m.group(1).equals("jpeg") || m.group(1).equals("jpg"))) {
      throw new ArkRejection(
          ArkError.invalid("image", "expected a URL or data:image/<png|jpeg>;base64,<data>"));
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw new ArkRejection(ArkError.invalid("image", "base64 data cannot be decoded"));
    }
    if (bytes.length > MAX_IMAGE_BYTES) {
      throw new ArkRejection(ArkError.invalid("image", "image is larger than 10 MB"));
    }
    InputImage measured = dimensions(bytes);
    InputImage image = new InputImage(measured.width(), measured.height(), bytes);
    double ratio = (double) image.width() / image.height();
    if (image.width() <= 14
        || image.height() <= 14
        || ratio < 1.0 / 3
        || ratio > 3
        || (long) image.width() * image.height() > MAX_IMAGE_PIXELS) {
      throw new ArkRejection(
          ArkError.invalid(
              "image",
              "sides must exceed 14 px, aspect within [1/3, 3], at most 6000x6000 pixels"));
    }
    return image;
  }

  private static InputImage dimensions(byte[] bytes) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      var readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ArkRejection(ArkError.invalid("image", "not a JPEG or PNG image"));
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        return new InputImage(reader.getWidth(0), reader.getHeight(0));
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new ArkRejection(ArkError.invalid("image", "image cannot be decoded"));
    }
  }

  private static String requiredString(JsonNode root, String name) {
    String value = optionalString(root, name).orElse("");
    if (value.isBlank()) {
      throw new ArkRejection(ArkError.missing(name));
    }
    return value;
  }

  private static Optional<String> optionalString(JsonNode root, String name) {
    JsonNode value = root.get(name);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isString()) {
      throw new ArkRejection(ArkError.invalid(name, "must be a string"));
    }
    return Optional.of(value.asString());
  }

  private static long integer(JsonNode root, String name, long min, long max) {
    JsonNode value = root.get(name);
    if (value == null
        || !value.isIntegralNumber()
        || value.asLong() < min
        || value.asLong() > max) {
      throw new ArkRejection(
          ArkError.invalid(name, "must be an integer within [" + min + ", " + max + "]"));
    }
    return value.asLong();
  }

  private static double number(JsonNode root, String name, double min, double max) {
    JsonNode value = root.get(name);
    if (value == null || !value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
      throw new ArkRejection(
          ArkError.invalid(name, "must be a number within [" + min + ", " + max + "]"));
    }
    return value.asDouble();
  }

  private static boolean bool(JsonNode root, String name, boolean fallback) {
    JsonNode value = root.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw new ArkRejection(ArkError.invalid(name, "must be a boolean"));
    }
    return value.asBoolean();
  }
}
