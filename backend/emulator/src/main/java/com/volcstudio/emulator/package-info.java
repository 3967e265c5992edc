/**
 * A stand-in for VolcEngine's visual API and Ark images API that speaks the real wire protocol: it
 * verifies V4 signatures as the gateway does, checks every req_key's parameters (a data table),
 * runs async tasks on a clock, enforces the account's quotas, answers with the real envelopes and
 * error codes, and renders deterministic images. Tests steer it through {@code /_emulator/*}. It
 * imports nothing from the app's features; the app reaches it only over HTTP, exactly as it reaches
 * the real service.
 */
@NullMarked
package com.volcstudio.emulator;

import org.jspecify.annotations.NullMarked;
