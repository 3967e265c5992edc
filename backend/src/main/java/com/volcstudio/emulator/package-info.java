/**
 * A stand-in for VolcEngine's visual API that speaks the real wire protocol: it verifies V4
 * signatures as the gateway does, answers with the real envelopes and error codes, and renders
 * deterministic images. It imports nothing from the app's features; the app reaches it only over
 * HTTP, exactly as it reaches the real service.
 */
@NullMarked
package com.volcstudio.emulator;

import org.jspecify.annotations.NullMarked;
