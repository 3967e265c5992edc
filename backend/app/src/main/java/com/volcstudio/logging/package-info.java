/**
 * Logging that cannot leak keys: every line, human or JSON, is masked on its way out, and the
 * configured key material is known to the masker before the first bean can log anything.
 */
@NullMarked
package com.volcstudio.logging;

import org.jspecify.annotations.NullMarked;
