package com.volcstudio.emulator;

import static com.volcstudio.emulator.VisualAction.ASYNC;
import static com.volcstudio.emulator.VisualAction.CV_PROCESS;
import static com.volcstudio.emulator.VisualAction.INPAINTING;
import static com.volcstudio.emulator.VisualAction.INPAINTING_EDIT;
import static com.volcstudio.emulator.VisualAction.OUTPAINTING;
import static com.volcstudio.emulator.VisualAction.SALIENCY_SEG;
import static com.volcstudio.emulator.VisualAction.SMART_DRAWING;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The text-to-image and image-to-image req_keys of docs/volcengine/PROTOCOL.md §3.3, as data: one
 * row per req_key. Where the table says UNCERTAIN the row follows the 3P source it cites and says
 * so.
 */
final class ReqKeyCatalog {

  private static final Duration ONE_HOUR = Duration.ofHours(1);
  private static final Duration ONE_DAY = Duration.ofHours(24);
  private static final long MB = 1024 * 1024;

  static final String JIMENG_OUTPAINT = "jimeng_img2img_seed3_painting_edit";

  /** No source gives the upper bound; uint32 keeps every seed a client may send. */
  private static final long SEED_MAX = 0xFFFF_FFFFL;

  private static final Map<String, ReqKeySpec> SPECS =
      index(
          // 通用2.0 (2.0S): async per D-G20, CVProcess form per a 3P mirror; model_version required.
          new ReqKeySpec(
              "high_aes_general_v20",
              Set.of(CV_PROCESS, ASYNC),
              new SizeRule.SideRange(256, 680, 512, true, false),
              InputImageRule.none(),
              1,
              with(
                  common(),
                  ParamRule.oneOf("model_version", true, "general_v2.0"),
                  ParamRule.number("scale"),
                  ParamRule.integer("ddim_steps"),
                  ParamRule.bool("use_sr")),
              true,
              0,
              ImageFormat.PNG,
              ONE_HOUR),
          // 通用2.0Pro (2.0L): CVProcess (D-G20P) and async (D-G20PA); result URLs valid 1 h.
          new ReqKeySpec(
              "high_aes_general_v20_L",
              Set.of(CV_PROCESS, ASYNC),
              new SizeRule.SideRange(256, 768, 512, true, false),
              InputImageRule.none(),
              1,
              with(
                  common(),
                  ParamRule.oneOf("model_version", false, "general_v2.0_L"),
                  ParamRule.string("req_schedule_conf"),
                  ParamRule.number("scale"),
                  ParamRule.integer("ddim_steps"),
                  ParamRule.bool("use_sr"),
                  ParamRule.bool("use_pre_llm")),
              true,
              0,
              ImageFormat.PNG,
              ONE_HOUR),
          // 通用2.1: range UNCERTAIN, taken as 2.0Pro's (3P calls use 768²).
          new ReqKeySpec(
              "high_aes_general_v21_L",
              Set.of(CV_PROCESS),
              new SizeRule.SideRange(256, 768, 512, true, false),
              InputImageRule.none(),
              1,
              with(common(), ParamRule.bool("use_sr"), ParamRule.bool("use_pre_llm")),
              true,
              0,
              ImageFormat.PNG,
              ONE_HOUR),
          // 即梦文生图2.1: the one synchronous 即梦 model; 3P schema: [256, 768], use_sr on by default.
          new ReqKeySpec(
              "jimeng_high_aes_general_v21_L",
              Set.of(CV_PROCESS),
              new SizeRule.SideRange(256, 768, 512, true, true),
              InputImageRule.none(),
              1,
              with(common(), ParamRule.bool("use_sr"), ParamRule.bool("use_pre_llm")),
              true,
              0,
              ImageFormat.PNG,
              ONE_DAY),
          // 通用3.0: CVProcess (D-G30); 3P also submits it async (UNCERTAIN, accepted); range [512,
          // 2048] per 3P.
          new ReqKeySpec(
              "high_aes_general_v30l_zt2i",
              Set.of(CV_PROCESS, ASYNC),
              new SizeRule.SideRange(512, 2048, 1328, false, false),
              InputImageRule.none(),
              1,
              with(common(), ParamRule.number("scale", 1, 10), ParamRule.bool("use_pre_llm")),
              true,
              0,
              ImageFormat.PNG,
              ONE_DAY),
          // 即梦文生图3.0: async only; rules presumed equal to 3.1 (UNCERTAIN).
          jimeng3("jimeng_t2i_v30"),
          // 即梦文生图3.1: async only; area [512², 2048²], ratio within 1:3..3:1, both sides or neither
          // (D-J31).
          jimeng3("jimeng_t2i_v31"),
          // 即梦4.0: async only; size area or width+height; up to 15 − inputs images; 0–10 reference
          // URLs (D-J40).
          jimeng4("jimeng_t2i_v40", 10, ParamRule.number("scale", 0, 1)),
          // 即梦4.6: 4.0's family, but 0–14 inputs and scale an integer in [1, 100], default 50
          // (PROTOCOL-2026-12 §1, 3P survey).
          jimeng4("jimeng_seedream46_cvtob", 14, ParamRule.integer("scale", 1, 100)),
          // 即梦图生图3.0智能参考: exactly one input (base64 or URL) ≤ 4.7 MB; output snapped to 16 px
          // (D-I2I30).
          new ReqKeySpec(
              "jimeng_i2i_v30",
              Set.of(ASYNC),
              new SizeRule.SnappedRange(512, 2016, 512, 1536, 1328),
              new InputImageRule(1, 1, (long) (4.7 * MB), 4096, 3, true),
              1,
              with(seedOnly(), ParamRule.number("scale", 0, 1)),
              true,
              800,
              ImageFormat.JPEG,
              ONE_DAY),
          // 通用1.1 图生图: legacy action; one base64 image < 5 MB; output long side 512 (D-G11I).
          new ReqKeySpec(
              "high_aes_i2i",
              Set.of(SMART_DRAWING),
              new SizeRule.FollowInput(512),
              new InputImageRule(1, 1, 5 * MB, 4096, 0, false),
              1,
              with(
                  seedOnly(),
                  ParamRule.number("strength", 0, 1),
                  ParamRule.number("scale", 1, 30),
                  ParamRule.integer("ddim_steps", 1, 50),
                  ParamRule.object("logo_info")),
              false,
              0,
              ImageFormat.PNG,
              ONE_HOUR),
          // 高美感 1.2/1.3: legacy, no size rules documented; 512 default and 2.0Pro's range assumed
          // (UNCERTAIN).
          new ReqKeySpec(
              "high_aes_t2i",
              Set.of(SMART_DRAWING),
              new SizeRule.SideRange(256, 768, 512, false, false),
              InputImageRule.none(),
              1,
              with(common(), ParamRule.number("scale"), ParamRule.integer("ddim_steps")),
              true,
              0,
              ImageFormat.PNG,
              ONE_HOUR),
          new ReqKeySpec(
              "high_aes",
              Set.of(SMART_DRAWING),
              new SizeRule.SideRange(256, 768, 512, false, false),
              InputImageRule.none(),
              1,
              with(
                  common(),
                  ParamRule.oneOf("model_version", true, "general_v1.3", "anime_v1.3"),
                  ParamRule.number("scale"),
                  ParamRule.integer("ddim_steps")),
              true,
              0,
              ImageFormat.PNG,
              ONE_HOUR),
          // Editing keys (PROTOCOL-2026-12 §1). Their output follows the input (ImageEdit), so
          // the size rule is never asked. 超分 ×2: CVProcess, input sides 256–1024, ≤ 5 MB,
          // model_quality required (§1c).
          new ReqKeySpec(
              "lens_nnsr2_pic_common",
              Set.of(CV_PROCESS),
              new SizeRule.FollowInput(1024),
              new InputImageRule(1, 1, 5 * MB, 1024, 0, true, 256),
              1,
              List.of(
                  ParamRule.oneOf("model_quality", true, "HQ", "MQ", "LQ"),
                  ParamRule.integer("result_format", 0, 1),
                  ParamRule.integer("jpg_quality", 0, 100),
                  ParamRule.bool("return_url"),
                  ParamRule.object("logo_info")),
              false,
              0,
              ImageFormat.PNG,
              ONE_HOUR,
              EditKind.UPSCALE),
          // 即梦智能超清 4K/8K: async, one image ≤ 4.7 MB, ≤ 4096², aspect within 1:3 (3P, §1c).
          new ReqKeySpec(
              "jimeng_i2i_seed3_tilesr_cvtob",
              Set.of(ASYNC),
              new SizeRule.FollowInput(4096),
              new InputImageRule(1, 1, (long) (4.7 * MB), 4096, 3, true),
              1,
              List.of(
                  ParamRule.oneOf("resolution", false, "4k", "8k"),
                  ParamRule.integer("scale", 0, 100),
                  ParamRule.integer("seed", -1, SEED_MAX)),
              false,
              0,
              ImageFormat.PNG,
              ONE_DAY,
              EditKind.TILE_SR),
          // 主体分割: its own action or CVProcess; 128–4096 px, ≤ 4.7 MB (§1e).
          new ReqKeySpec(
              "saliency_seg",
              Set.of(CV_PROCESS, SALIENCY_SEG),
              new SizeRule.FollowInput(1024),
              new InputImageRule(1, 1, (long) (4.7 * MB), 4096, 0, true, 128),
              2,
              List.of(
                  ParamRule.integer("only_mask", 0, 4),
                  ParamRule.integer("refine_mask", 0, 1),
                  ParamRule.bool("return_url")),
              false,
              0,
              ImageFormat.PNG,
              ONE_HOUR,
              EditKind.SALIENCY),
          // 即梦交互编辑: async, exactly the image then a single-channel mask, prompt required
          // (删除 erases), output JPEG (§1a, official page).
          new ReqKeySpec(
              ImageEdit.JIMENG_INPAINT,
              Set.of(ASYNC),
              new SizeRule.FollowInput(4096),
              new InputImageRule(2, 2, (long) (4.7 * MB), 4096, 0, true),
              1,
              List.of(ParamRule.integer("seed", -1, SEED_MAX)),
              true,
              800,
              ImageFormat.JPEG,
              ONE_DAY,
              EditKind.INPAINT),
          // 涂抹消除: no prompt; the image then the mask (order from the SDK demo, §1a). The SDK's
          // request classes send every field, zeros and a float seed included (0 = the default),
          // so these legacy keys take numbers where the newer ones take integers.
          legacyInpainting("i2i_inpainting", INPAINTING, ParamRule.number("strength", 0, 1)),
          // 局部重绘: custom_prompt, not prompt (§1a).
          legacyInpainting(
              "i2i_inpainting_edit",
              INPAINTING_EDIT,
              new ParamRule("custom_prompt", ParamRule.Kind.STRING, 0, 0, List.of(), true)),
          // 即梦智能扩图: async, one image and fractions per side in [0, 1], prompt optional, PNG
          // (3P, §1b); no size cap is documented, so the result may reach 4096 px a side.
          new ReqKeySpec(
              JIMENG_OUTPAINT,
              Set.of(ASYNC),
              new SizeRule.FollowInput(4096),
              new InputImageRule(1, 1, (long) (4.7 * MB), 4096, 3, true),
              1,
              List.of(
                  ParamRule.number("top", 0, 1),
                  ParamRule.number("bottom", 0, 1),
                  ParamRule.number("left", 0, 1),
                  ParamRule.number("right", 0, 1),
                  ParamRule.integer("seed", -1, SEED_MAX)),
              false,
              800,
              ImageFormat.PNG,
              ONE_DAY,
              EditKind.OUTPAINT),
          // 智能扩图: one image and fractions per side (ratio mode; the canvas+mask mode is not
          // emulated); custom_prompt per the SDK, prompt per a 3P mirror, both read (§1b).
          new ReqKeySpec(
              "i2i_outpainting",
              Set.of(CV_PROCESS, OUTPAINTING),
              new SizeRule.FollowInput(1920),
              new InputImageRule(1, 1, 5 * MB, 4096, 0, true),
              1,
              List.of(
                  ParamRule.number("top", 0, 1),
                  ParamRule.number("bottom", 0, 1),
                  ParamRule.number("left", 0, 1),
                  ParamRule.number("right", 0, 1),
                  ParamRule.number("max_width", 0, 4096),
                  ParamRule.number("max_height", 0, 4096),
                  ParamRule.string("custom_prompt"),
                  ParamRule.number("seed", -1, SEED_MAX),
                  ParamRule.integer("steps", 0, 50),
                  ParamRule.number("strength", 0, 1),
                  ParamRule.number("scale", 0, 20),
                  ParamRule.bool("return_url"),
                  ParamRule.object("logo_info")),
              false,
              0,
              ImageFormat.PNG,
              ONE_HOUR,
              EditKind.OUTPAINT),
          // 通用1.4: CVProcess, example 512² (3P mirror); range assumed as 2.0Pro's (UNCERTAIN).
          new ReqKeySpec(
              "high_aes_general_v14",
              Set.of(CV_PROCESS),
              new SizeRule.SideRange(256, 768, 512, false, false),
              InputImageRule.none(),
              1,
              with(
                  common(),
                  ParamRule.oneOf("model_version", true, "general_v1.4"),
                  ParamRule.number("scale"),
                  ParamRule.integer("ddim_steps"),
                  ParamRule.bool("use_rephraser"),
                  ParamRule.bool("use_predict_tags")),
              true,
              0,
              ImageFormat.PNG,
              ONE_HOUR));

  private ReqKeyCatalog() {}

  static Optional<ReqKeySpec> find(String reqKey) {
    return Optional.ofNullable(SPECS.get(reqKey));
  }

  static Collection<ReqKeySpec> all() {
    return SPECS.values();
  }

  /** The two legacy inpainting keys: image then mask, sync, their own action or CVProcess. */
  private static ReqKeySpec legacyInpainting(String reqKey, VisualAction action, ParamRule own) {
    return new ReqKeySpec(
        reqKey,
        Set.of(CV_PROCESS, action),
        new SizeRule.FollowInput(1024),
        new InputImageRule(2, 2, 5 * MB, 4096, 0, true),
        1,
        List.of(
            own,
            ParamRule.number("seed", -1, SEED_MAX),
            ParamRule.integer("steps", 0, 50),
            ParamRule.number("scale", 0, 20),
            ParamRule.bool("return_url"),
            ParamRule.object("logo_info")),
        false,
        0,
        ImageFormat.PNG,
        ONE_HOUR,
        EditKind.INPAINT);
  }

  private static ReqKeySpec jimeng3(String reqKey) {
    return new ReqKeySpec(
        reqKey,
        Set.of(ASYNC),
        new SizeRule.AreaRange(512L * 512, 2048L * 2048, 3, new OutputSize(1328, 1328)),
        InputImageRule.none(),
        1,
        with(seedOnly(), ParamRule.bool("use_pre_llm")),
        true,
        800,
        ImageFormat.JPEG,
        ONE_DAY);
  }

  private static ReqKeySpec jimeng4(String reqKey, int maxInputs, ParamRule scale) {
    // Output PNG per one copy of D-J40, JPEG per another (UNCERTAIN); PNG here.
    return new ReqKeySpec(
        reqKey,
        Set.of(ASYNC),
        new SizeRule.AreaOrDimensions(1024L * 1024, 4096L * 4096, 4194304),
        new InputImageRule(0, maxInputs, 15 * MB, 4096, 3, true),
        15,
        with(
            seedOnly(),
            scale,
            ParamRule.bool("force_single"),
            ParamRule.number("min_ratio"),
            ParamRule.number("max_ratio")),
        true,
        800,
        ImageFormat.PNG,
        ONE_DAY);
  }

  /**
   * Fields every synchronous text-to-image model takes (§3.2): seed, return_url, logo_info,
   * aigc_meta.
   */
  private static List<ParamRule> common() {
    return with(
        seedOnly(),
        ParamRule.bool("return_url"),
        ParamRule.object("logo_info"),
        ParamRule.object("aigc_meta"));
  }

  private static List<ParamRule> seedOnly() {
    return List.of(
        ParamRule.integer("seed", -1, SEED_MAX),
        ParamRule.integer("width"),
        ParamRule.integer("height"));
  }

  private static List<ParamRule> with(List<ParamRule> base, ParamRule... more) {
    List<ParamRule> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return List.copyOf(all);
  }

  private static Map<String, ReqKeySpec> index(ReqKeySpec... specs) {
    Map<String, ReqKeySpec> byKey = new LinkedHashMap<>();
    for (ReqKeySpec spec : specs) {
      byKey.put(spec.reqKey(), spec);
    }
    return byKey;
  }
}
