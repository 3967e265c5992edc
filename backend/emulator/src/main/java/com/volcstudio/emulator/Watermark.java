package com.volcstudio.emulator;

/**
 * The visible "AI生成" label (docs/volcengine/PROTOCOL.md §3.2 {@code logo_info}, §6.3 {@code
 * watermark}).
 *
 * @param corner 0 bottom-right, 1 bottom-left, 2 top-left, 3 top-right
 */
record Watermark(String text, int corner) {

  static final Watermark ARK_DEFAULT = new Watermark("AI生成", 0);
}
