package com.volcstudio.catalog;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How an editing model takes its source and what it answers (PROTOCOL-2026-12 §1): the limits a
 * source must meet, checked before anything is stored or sent, and the size of the result, so a
 * task knows what it will make.
 *
 * @param minSide shortest side the service takes (0 = not limited)
 * @param maxSide longest side the service takes
 * @param maxBytes largest source file
 * @param maxAspect long side / short side, or null when not limited
 * @param output {@code same} (the source's size), {@code double} (×2), {@code long_side} (the long
 *     side scaled to {@code outputLongSide}), or {@code extended} (the canvas grown by {@code
 *     expand}, fitted within {@code outputLongSide})
 * @param prompt the field a prompt travels in ({@code prompt}, {@code custom_prompt}), or null for
 *     a model that takes none
 * @param promptRequired per operation: the operations that need a prompt from the user
 * @param eraseInstruction the prompt that makes an inpainter remove rather than repaint (the Jimeng
 *     inpainter's {@code 删除}); null where erasing needs none
 * @param mask whether the model takes a mask after the source
 * @param outputMime what the service answers with ({@code image/png}, {@code image/jpeg})
 */
public record EditRule(
    int minSide,
    int maxSide,
    long maxBytes,
    @Nullable Double maxAspect,
    String output,
    int outputLongSide,
    @Nullable String prompt,
    @Nullable List<String> promptRequired,
    @Nullable String eraseInstruction,
    boolean mask,
    String outputMime) {

  public static final String SAME = "same";
  public static final String DOUBLE = "double";
  public static final String LONG_SIDE = "long_side";
  public static final String EXTENDED = "extended";

  public boolean needsPrompt(String operation) {
    return promptRequired != null && promptRequired.contains(operation);
  }
}
