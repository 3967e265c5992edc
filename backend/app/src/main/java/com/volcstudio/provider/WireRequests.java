package com.volcstudio.provider;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.EditRule;
import com.volcstudio.catalog.GenerationParams;
import com.volcstudio.catalog.ModelOption;
import com.volcstudio.catalog.Operations;
import com.volcstudio.catalog.ReferenceImageRule;
import com.volcstudio.upload.ReferenceImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Turns an image request into a family's wire body: the catalog decides the upstream fields. */
final class WireRequests {

  private WireRequests() {}

  static Map<String, Object> cvProcess(ImageRequest request, CatalogModel model) {
    Map<String, Object> body =
        request.params().makesEdit() ? edit(request, model) : visual(request, model);
    body.put("return_url", false);
    // The visible "AI生成" watermark is off by default in this app (docs/volcengine/PROTOCOL.md §3.2
    // logo_info).
    body.put("logo_info", Map.of("add_logo", false));
    return body;
  }

  /**
   * The submit body of an asynchronous model; output options go to {@link #resultOptions()}
   * instead.
   */
  static Map<String, Object> asyncSubmit(ImageRequest request, CatalogModel model) {
    return request.params().makesEdit() ? edit(request, model) : visual(request, model);
  }

  /**
   * An editing key's body (PROTOCOL-2026-12 §1): its fixed fields from the catalog, the prompt in
   * the field the key reads (the erase instruction where erasing needs one), an outpaint's
   * fractions, and the source then the mask as plain base64.
   */
  static Map<String, Object> edit(ImageRequest request, CatalogModel model) {
    GenerationParams p = request.params();
    EditRule rule = Objects.requireNonNull(model.edit(), "an editing model has its edit rule");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("req_key", model.reqKey());
    body.putAll(model.upstreamFixed());
    String instruction =
        p.operation().equals(Operations.ERASE) && rule.eraseInstruction() != null
            ? rule.eraseInstruction()
            : p.prompt();
    if (rule.prompt() != null && !instruction.isEmpty()) {
      body.put(rule.prompt(), instruction);
    }
    if (model.params().seed() && request.seed() >= 0) {
      body.put("seed", request.seed());
    }
    GenerationParams.Expand expand = p.expand();
    if (expand != null) {
      body.put("top", expand.top());
      body.put("right", expand.right());
      body.put("bottom", expand.bottom());
      body.put("left", expand.left());
    }
    body.put(
        ReferenceImageRule.VISUAL_BASE64,
        request.references().stream().map(ReferenceImage::base64).toList());
    return body;
  }

  /**
   * {@code req_json} of CVSync2AsyncGetResult: images inline, no visible watermark
   * (docs/volcengine/PROTOCOL.md §3.1, §3.2).
   */
  static Map<String, Object> resultOptions() {
    return Map.of("return_url", false, "logo_info", Map.of("add_logo", false));
  }

  /**
   * Ark's body (docs/volcengine/PROTOCOL.md §6.3): one image per call, as base64 so no URL can
   * expire on us, and no visible watermark (Ark's default is on).
   */
  static Map<String, Object> ark(ImageRequest request, CatalogModel model) {
    GenerationParams p = request.params();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", model.reqKey());
    body.putAll(model.upstreamFixed());
    body.put("prompt", p.prompt());
    // A fixed size in the catalog wins: SeedEdit takes only "adaptive" (docs/volcengine/PROTOCOL.md
    // §6.3).
    body.putIfAbsent("size", p.width() + "x" + p.height());
    if (model.params().seed()) {
      body.put("seed", request.seed());
    }
    if (p.scale() != null && model.params().scale() != null) {
      body.put(model.params().scale().upstream(), model.params().scale().wire(p.scale()));
    }
    options(body, p, model);
    List<ReferenceImage> references = request.references();
    if (!references.isEmpty()) {
      // Inline data URLs: our uploads live on this machine, where Ark cannot fetch a URL from.
      List<String> images = references.stream().map(ReferenceImage::dataUrl).toList();
      body.put(ReferenceImageRule.ARK_IMAGE, images.size() == 1 ? images.get(0) : images);
    }
    body.put("response_format", "b64_json");
    body.put("watermark", false);
    return body;
  }

  /**
   * An image set (PROTOCOL-2026-12 §2): Ark's body with {@code sequential_image_generation: auto},
   * at most {@code images}, streamed so each arrives as soon as it is painted.
   */
  static Map<String, Object> arkSet(ImageRequest request, CatalogModel model, int images) {
    Map<String, Object> body = ark(request, model);
    body.put("sequential_image_generation", "auto");
    body.put("sequential_image_generation_options", Map.of("max_images", images));
    body.put("stream", true);
    return body;
  }

  private static Map<String, Object> visual(ImageRequest request, CatalogModel model) {
    GenerationParams p = request.params();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("req_key", model.reqKey());
    body.putAll(model.upstreamFixed());
    body.put("prompt", p.prompt());
    var size =
        model
            .size()
            .resolve(p.width(), p.height())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "validated size no longer resolves: " + p.width() + "x" + p.height()));
    body.put("width", size.width());
    body.put("height", size.height());
    if (model.size().superResolution()) {
      body.put("use_sr", size.useSuperResolution());
    }
    if (model.params().seed()) {
      body.put("seed", request.seed());
    }
    if (p.steps() != null && model.params().steps() != null) {
      body.put(model.params().steps().upstream(), p.steps());
    }
    if (p.scale() != null && model.params().scale() != null) {
      body.put(model.params().scale().upstream(), model.params().scale().wire(p.scale()));
    }
    options(body, p, model);
    if (!request.references().isEmpty()) {
      // Plain base64 in binary_data_base64 (docs/volcengine/PROTOCOL.md §3.3 jimeng_i2i_v30: base64
      // or image_urls); a URL of this machine could not be fetched by the service.
      body.put(
          ReferenceImageRule.VISUAL_BASE64,
          request.references().stream().map(ReferenceImage::base64).toList());
    }
    return body;
  }

  /** The user's options as the service takes each (see {@link ModelOption#upstream}). */
  private static void options(Map<String, Object> body, GenerationParams p, CatalogModel model) {
    for (ModelOption option : model.options()) {
      Boolean on = p.options().get(option.name());
      if (on != null) {
        body.putAll(option.upstream(on));
      }
    }
  }
}
