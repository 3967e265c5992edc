/**
 * Settings changed at run time: provider keys (encrypted at rest) and runtime limits and defaults,
 * applied without a restart.
 */
@NullMarked
package com.volcstudio.settings;

import org.jspecify.annotations.NullMarked;
