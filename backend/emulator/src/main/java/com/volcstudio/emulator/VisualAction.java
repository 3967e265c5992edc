package com.volcstudio.emulator;

/**
 * The ways a req_key can be called (docs/volcengine/PROTOCOL.md §3): synchronously, or as an async
 * task.
 */
enum VisualAction {
  CV_PROCESS("CVProcess"),
  SMART_DRAWING("HighAesSmartDrawing"),
  ASYNC("CVSync2AsyncSubmitTask");

  private final String action;

  VisualAction(String action) {
    this.action = action;
  }

  String action() {
    return action;
  }
}
