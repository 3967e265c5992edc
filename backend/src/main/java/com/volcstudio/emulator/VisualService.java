package com.volcstudio.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The visual service behind the gateway: routes actions and answers them (PROTOCOL §3, §4.1). */
final class VisualService {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** A prompt containing {@code __fault_50412__} gets that error: deterministic fault injection for tests. */
  private static final Pattern FAULT = Pattern.compile("__fault_(\\d{5})__");

  private final EmulatorSettings settings;
  private final ImageRenderer renderer;

  VisualService(EmulatorSettings settings, ImageRenderer renderer) {
    this.settings = settings;
    this.renderer = renderer;
  }

  Mono<VolcEmulator.Reply> dispatch(String action, String version, byte[] body) {
    if (action.equals("CVProcess") && version.equals("2022-08-31")) {
      return cvProcess(body);
    }
    return Mono.just(Envelopes.gateway(GatewayError.unknownAction(action, version), action, version));
  }

  private Mono<VolcEmulator.Reply> cvProcess(byte[] body) {
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (JacksonException e) {
      return Mono.just(Envelopes.service(ServiceError.parseArgs("body is not JSON")));
    }
    if (request == null || !request.isObject()) {
      return Mono.just(Envelopes.service(ServiceError.parseArgs("body must be a JSON object")));
    }
    String reqKey = request.path("req_key").asString("");
    if (reqKey.isEmpty()) {
      return Mono.just(Envelopes.service(ServiceError.missingArgs("req_key")));
    }
    var model = EmulatedModel.sync(reqKey);
    if (model.isEmpty()) {
      return Mono.just(Envelopes.service(ServiceError.invalidArgs("req_key " + reqKey + " is not served by CVProcess")));
    }
    String prompt = request.path("prompt").asString("");
    if (prompt.isBlank()) {
      return Mono.just(Envelopes.service(ServiceError.missingArgs("prompt")));
    }
    Matcher fault = FAULT.matcher(prompt);
    if (fault.find()) {
      return Mono.just(Envelopes.service(ServiceError.injected(Integer.parseInt(fault.group(1)))));
    }
    int width = request.path("width").asInt(model.get().defaultSide());
    int height = request.path("height").asInt(model.get().defaultSide());
    EmulatedModel m = model.get();
    if (width < m.minSide() || width > m.maxSide() || height < m.minSide() || height > m.maxSide()) {
      return Mono.just(Envelopes.service(ServiceError.invalidArgs(
          "width and height must be within [" + m.minSide() + ", " + m.maxSide() + "]")));
    }
    int scale = m.superResolution() && request.path("use_sr").asBoolean(false) ? 2 : 1;
    long requestedSeed = request.path("seed").asLong(-1);
    long seed = requestedSeed < 0 ? ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE) : requestedSeed;
    long started = System.nanoTime();
    // Rendering and PNG encoding are CPU-bound and must not run on the Netty event loop.
    return Mono.delay(settings.latency())
        .then(Mono.fromCallable(() -> renderer.renderPng(prompt, seed, width * scale, height * scale))
            .subscribeOn(Schedulers.boundedElastic()))
        .map(png -> {
          Map<String, Object> data = new LinkedHashMap<>();
          data.put("binary_data_base64", List.of(Base64.getEncoder().encodeToString(png)));
          data.put("image_urls", null);
          data.put("algorithm_base_resp", Map.of("status_code", 0, "status_message", "Success"));
          data.put("request_id", randomHex(32));
          return Envelopes.success(data, (System.nanoTime() - started) / 1_000_000);
        });
  }

  /** The query's plain name → value view, for routing only (signature checks use the raw form). */
  static Map<String, String> plainQuery(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.putIfAbsent(name, value);
    }
    return params;
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
