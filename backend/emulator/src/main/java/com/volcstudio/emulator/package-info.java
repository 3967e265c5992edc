/**
 * A stand-in for VolcEngine's visual API and Ark images API that speaks the real wire protocol: it
 * verifies V4 signatures as the gateway does, checks every req_key's parameters (a data table),
 * runs async tasks on a clock, enforces the account's quotas, answers with the real envelopes and
 * error codes, and renders deterministic images. Tests steer it through {@code /_emulator/*}. It
 * imports nothing from the app's features; the app reaches it only over HTTP, exactly as it reaches
 * the real service.
 *
 * <p>It is a Maven module of its own ({@code backend/emulator}, the jar volc-emulator, without
 * Spring). Its public surface is what the app needs to start one: {@link VolcEmulator}, {@link
 * EmulatorSettings} and {@link EmulatorMain}; everything else is package-private.
 */
@NullMarked
package com.volcstudio.emulator;

import org.jspecify.annotations.NullMarked;
