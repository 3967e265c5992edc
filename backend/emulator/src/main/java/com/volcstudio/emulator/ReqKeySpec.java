package com.volcstudio.emulator;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Everything the emulated service knows of one req_key (a row of docs/volcengine/PROTOCOL.md §3.3).
 *
 * @param actions how it may be called; any other way answers 50200
 * @param size its size rule
 * @param inputs the reference images it takes
 * @param maxImages most images one call returns
 * @param params its other fields, checked for type and range
 * @param promptRequired whether {@code prompt} must be present
 * @param promptMaxChars longer prompts fail with 50215 (0 = no limit); the docs' "max 800" (D-J31,
 *     D-J40, D-I2I30)
 * @param format the encoding of its images
 * @param urlLifetime how long its {@code return_url} links work (§3.2: 1 h 通用2.0Pro, 24 h 即梦)
 * @param edit what it does to its input image, or {@link EditKind#NONE} for a generation
 */
record ReqKeySpec(
    String reqKey,
    Set<VisualAction> actions,
    SizeRule size,
    InputImageRule inputs,
    int maxImages,
    List<ParamRule> params,
    boolean promptRequired,
    int promptMaxChars,
    ImageFormat format,
    Duration urlLifetime,
    EditKind edit) {

  ReqKeySpec(
      String reqKey,
      Set<VisualAction> actions,
      SizeRule size,
      InputImageRule inputs,
      int maxImages,
      List<ParamRule> params,
      boolean promptRequired,
      int promptMaxChars,
      ImageFormat format,
      Duration urlLifetime) {
    this(
        reqKey,
        actions,
        size,
        inputs,
        maxImages,
        params,
        promptRequired,
        promptMaxChars,
        format,
        urlLifetime,
        EditKind.NONE);
  }

  boolean servedBy(VisualAction action) {
    return actions.contains(action);
  }
}
