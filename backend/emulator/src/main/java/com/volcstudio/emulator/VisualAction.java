package com.volcstudio.emulator;

/**
 * The ways a req_key can be called (docs/volcengine/PROTOCOL.md §3): synchronously, or as an async
 * task.
 */
enum VisualAction {
  CV_PROCESS("CVProcess"),
  SMART_DRAWING("HighAesSmartDrawing"),
  ASYNC("CVSync2AsyncSubmitTask"),
  // The editing keys' own actions (PROTOCOL-2026-12 §1): the official SDKs call these, while the
  // docs' examples and 3P clients send the same keys through CVProcess; both are served.
  INPAINTING("Img2ImgInpainting"),
  INPAINTING_EDIT("Img2ImgInpaintingEdit"),
  OUTPAINTING("Img2ImgOutpainting"),
  SALIENCY_SEG("SaliencySeg");

  private final String action;

  VisualAction(String action) {
    this.action = action;
  }

  String action() {
    return action;
  }

  /** The synchronous action by its wire name, or null when it is not one. */
  static @org.jspecify.annotations.Nullable VisualAction synchronous(String name) {
    for (VisualAction a : values()) {
      if (a != ASYNC && a.action.equals(name)) {
        return a;
      }
    }
    return null;
  }
}
