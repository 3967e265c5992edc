/**
 * Which providers the app talks to now: demo mode (the built-in emulator) or live mode with the
 * environment's or the stored keys, and the check of a key against its provider. Below every
 * feature that needs to know, so that none of them depends on the system information endpoint.
 */
@NullMarked
package com.volcstudio.connection;

import org.jspecify.annotations.NullMarked;
